// Child process for the SIGKILL tests: opens the vault in argv[2], prints every sync.progress event
// as it happens, runs sync.run once, prints its summary and exits. The parent kills it mid-way.
import { openUnlockedVault } from '../../../support/vault'

async function main(): Promise<void> {
  const vault = await openUnlockedVault(process.argv[2]!)
  vault.core.events.subscribe((name, payload) => {
    if (name !== 'sync.progress') return
    const { phase, done } = payload as { phase: string; done: number }
    process.stdout.write(`progress ${phase} ${done}\n`)
  })
  process.stdout.write('ready\n')
  const summary = await vault.call('sync.run', {})
  process.stdout.write(`done ${JSON.stringify(summary)}\n`)
  await vault.dispose()
  process.exit(0)
}

void main()
