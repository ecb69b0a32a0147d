import type { Command } from 'commander-v14'
import type { AuditEntry } from '../../../shared/contract'
import type { CliContext } from '../context'
import { json, table } from '../output'

export function registerAuditCommand(program: Command, context: CliContext): void {
  program
    .command('audit')
    .description('Show the audit log, newest first, or check its hash chain with --verify.')
    .option('--verify', 'check every entry’s hash and link; exit 1 when the chain is broken')
    .option('--entity <id>', 'only entries about this entity')
    .option('--limit <n>', 'entries to show (default 50)', (value) => Number(value))
    .option('--json', 'JSON for machines')
    .action(async (options: { verify?: boolean; entity?: string; limit?: number; json?: boolean }) => {
      await context.withVault('audit', async (client) => {
        if (options.verify) {
          const result = await client.call('audit.verify', {})
          context.stdout.write(
            options.json
              ? json(result)
              : result.ok
                ? `The audit log is intact (${result.checked} entries).\n`
                : `The audit log is broken at entry ${result.brokenAt} (${result.checked} checked).\n`,
          )
          if (!result.ok) process.exitCode = 1
          return
        }
        const wanted = options.limit ?? 50
        const entries: AuditEntry[] = []
        let cursor: string | undefined
        do {
          const page = await client.call('audit.list', {
            entityId: options.entity,
            limit: Math.min(100, wanted - entries.length),
            cursor,
          })
          entries.push(...page.data)
          cursor = page.next ?? undefined
        } while (cursor && entries.length < wanted)
        context.stdout.write(
          options.json
            ? json(entries)
            : table(
                ['SEQ', 'AT', 'ACTION', 'ORIGIN', 'ENTITY'],
                entries.map((e) => [String(e.seq), e.at, e.action, e.origin, e.entityId ?? '-']),
              ),
        )
      })
    })
}
