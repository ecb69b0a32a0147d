import { createKeyringKeeper } from '../../../../src/main/platform/keyring-keeper'

// A fresh process asks the keeper what a newly started Latchkey would: is there a keychain, and
// does it take a key? Prints one JSON line.
async function main(): Promise<void> {
  const keeper = createKeyringKeeper({ service: 'Latchkey keychain test' })
  const availability = await keeper.availability()
  const stored = await keeper.wrap('fallback-check', Buffer.alloc(32, 7)).then(
    () => 'stored',
    (error: Error) => error.message,
  )
  console.log(JSON.stringify({ availability, stored }))
}

void main()
