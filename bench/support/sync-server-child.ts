// The sync test server in a process of its own, so the sync bench can tell Latchkey's time from
// the server's: it prints its target once, then answers commands on stdin, one JSON line each:
//   seed <from> <count>  → rows c<from>… created a millisecond apart (a real server's spread)
//   cpu                  → { cpuMs }: this process's CPU time so far (user + system)
//   rows                 → { rows }: how many Activepieces connections it holds
import { createInterface } from 'node:readline'
import { startSyncServer } from '../../test/support/sync-server'

async function main(): Promise<void> {
  const server = await startSyncServer({ dialect: 'activepieces' })
  process.stdout.write(`${JSON.stringify({ target: server.target })}\n`)
  const base = Date.now() - 10 * 24 * 3600_000
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, ...args] = line.trim().split(/\s+/)
    if (command === 'seed') {
      const from = Number(args[0])
      const count = Number(args[1])
      for (let start = from; start < from + count; start += 5000) {
        const size = Math.min(5000, from + count - start)
        server.seed(
          'activepieces',
          Array.from({ length: size }, (_, k) => ({
            externalId: `c${start + k}`,
            displayName: `Connection ${start + k}`,
            pieceName: `@bench/piece-${(start + k) % 50}`,
            type: 'SECRET_TEXT',
            createdMs: base + start + k,
            value: { type: 'SECRET_TEXT', secret_text: `remote-secret-${start + k}` },
          })),
        )
      }
      process.stdout.write('{"ok":true}\n')
    } else if (command === 'cpu') {
      const usage = process.cpuUsage()
      process.stdout.write(`${JSON.stringify({ cpuMs: (usage.user + usage.system) / 1000 })}\n`)
    } else if (command === 'rows') {
      process.stdout.write(`${JSON.stringify({ rows: server.rows('activepieces').length })}\n`)
    } else if (command === 'close') {
      await server.close()
      process.stdout.write('{"ok":true}\n')
      process.exit(0)
    }
  }
}

void main()
