// Child process for the one-owner test: opens and unlocks the vault in argv[2], says so, and holds it.
import { openUnlockedVault } from '../../../support/vault'

async function main(): Promise<void> {
  const held = await openUnlockedVault(process.argv[2]!)
  process.stdout.write(`ready ${process.pid}\n`)
  process.on('SIGTERM', () => {
    void held.dispose().then(() => process.exit(0))
  })
  setInterval(() => {}, 1_000)
}

void main()
