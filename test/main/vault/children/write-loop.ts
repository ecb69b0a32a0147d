// Child process for the crash test: writes connections forever, each as one transaction (row, sealed
// value, audit entry), and prints its id only after the commit returned. The parent SIGKILLs it.
import { openUnlockedVault } from '../../../support/vault'
import { insertConnection } from '../fixtures'

async function main(): Promise<void> {
  const { session } = await openUnlockedVault(process.argv[2]!)
  process.stdout.write('ready\n')
  for (let i = 0; ; i += 1) {
    const id = `conn_${process.pid}_${i}`
    insertConnection(session, id, `sk-crash-${i}`)
    process.stdout.write(`${id}\n`)
    // Yield now and then so the kill can land between, as well as inside, transactions.
    if (i % 25 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
}

void main()
