import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import type { Command } from 'commander-v14'
import { AppError } from '../../../shared/errors'
import type { CliContext } from '../context'
import { json, progress, table } from '../output'
import { promptHidden } from '../terminal/prompt'
import { callOptional, requireProcedure } from './optional-procedures'

// The limits the transfer contract states (transfer.ts); an older or newer server refuses beyond its own.
const INLINE_MAX_CHARS = 3 * 1024 * 1024
const CHUNK_BYTES = 2 * 1024 * 1024

interface SyncSummary {
  remoteId: string
  pushed: number
  pulled: number
  conflicts: number
  failed: number
  cancelled: boolean
  error: { message?: string } | null
}

export function registerTransferCommands(program: Command, context: CliContext): void {
  program
    .command('sync')
    .description('Sync with every remote, or with REMOTE, and wait until it is done.')
    .argument('[remote]', 'remote id')
    .option('--json', 'JSON for machines')
    .action(async (remote: string | undefined, options: { json?: boolean }) => {
      const name = requireProcedure('sync', 'sync.run')
      await context.withVault('sync', async (client) => {
        context.say('Syncing…')
        const summaries = await callOptional<SyncSummary[]>(client, name, remote ? { remoteId: remote } : {})
        context.stdout.write(
          options.json
            ? json(summaries)
            : table(
                ['REMOTE', 'PUSHED', 'PULLED', 'CONFLICTS', 'FAILED', 'ERROR'],
                summaries.map((s) => [
                  s.remoteId,
                  String(s.pushed),
                  String(s.pulled),
                  String(s.conflicts),
                  String(s.failed),
                  s.error?.message ?? (s.cancelled ? 'cancelled' : '-'),
                ]),
              ),
        )
        if (summaries.some((s) => s.error || s.failed > 0)) process.exitCode = 1
      })
    })

  program
    .command('export')
    .description(
      'Write every connection with its secret in plain text (seed-shaped JSON or .env). Needs the master password and --yes: anyone who can read the file can use your connections.',
    )
    .option('--format <format>', 'latchkey-json or env', 'latchkey-json')
    .option('--output <file>', 'write here (created 0600) instead of stdout')
    .option('--yes', 'I understand the file is not encrypted')
    .action(async (options: { format: string; output?: string; yes?: boolean }) => {
      const name = requireProcedure('export', 'export.plaintext')
      if (!options.yes) {
        throw new AppError('VALIDATION', {
          message: 'The export is plain text; pass --yes to confirm you understand.',
          issues: [{ path: 'acknowledgeRisk', message: 'Pass --yes.' }],
        })
      }
      await context.withVault('export', async (client) => {
        const password =
          context.env.LATCHKEY_PASSWORD ?? (await promptHidden('Master password (to confirm the export): '))
        if (!password)
          throw new AppError('AUTHENTICATION', { message: 'The export needs the master password.' })
        const result = await callOptional<{ text: string; connections: number; withoutValue: number }>(
          client,
          name,
          {
            format: options.format,
            password,
            acknowledgeRisk: true,
          },
        )
        if (options.output) {
          writeFileSync(options.output, result.text, { mode: 0o600, flag: 'w' })
          chmodSync(options.output, 0o600)
          context.say(`Exported ${result.connections} connections to ${options.output}.`)
        } else {
          context.stdout.write(result.text)
        }
      })
    })

  program
    .command('import')
    .description(
      'Import connections from a file: shows what it will create, update and skip, then does it in one transaction.',
    )
    .argument('<file>', 'the file to import')
    .option('--format <format>', 'latchkey-json, env, bitwarden-json or keepassxc-csv', 'latchkey-json')
    .option('--piece <pieceName>', 'the piece for entries whose file names none')
    .option('--dry-run', 'show the plan, write nothing')
    .option('--json', 'JSON for machines')
    .action(
      async (file: string, options: { format: string; piece?: string; dryRun?: boolean; json?: boolean }) => {
        const preview = requireProcedure('import', 'import.preview')
        const apply = requireProcedure('import', 'import.apply')
        const bytes = readFileSync(file)
        await context.withVault('import', async (client) => {
          const source = await sourceOf(client, context, bytes)
          const input = { format: options.format, source, pieceName: options.piece }
          const plan = await callOptional<{
            counts: Record<string, number>
            digest: string
            items: unknown[]
          }>(client, preview, input)
          if (options.dryRun) {
            context.stdout.write(options.json ? json(plan) : countsLine('Would', plan.counts))
            return
          }
          const done = await callOptional<Record<string, number>>(client, apply, {
            ...input,
            digest: plan.digest,
          })
          context.stdout.write(options.json ? json(done) : countsLine('Did', done))
        })
      },
    )
}

const countsLine = (verb: string, counts: Record<string, number>) =>
  `${verb}: create ${counts.create ?? counts.created ?? 0}, update ${counts.update ?? counts.updated ?? 0}, skip ${counts.skip ?? counts.skipped ?? 0}.\n`

/** Small files go inline; larger ones are uploaded in chunks, with a bar on a terminal. */
async function sourceOf(client: Parameters<typeof callOptional>[0], context: CliContext, bytes: Buffer) {
  const text = bytes.toString('utf8')
  if (text.length <= INLINE_MAX_CHARS) return { text }
  const upload = requireProcedure('import', 'transfer.upload')
  const bar = progress(context.stderr, 'Uploading')
  let transferId: string | undefined
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
    const data = bytes.subarray(offset, offset + CHUNK_BYTES).toString('base64')
    transferId = (await callOptional<{ transferId: string }>(client, upload, { transferId, data })).transferId
    bar.update(Math.min(bytes.length, offset + CHUNK_BYTES), bytes.length)
  }
  bar.done()
  return { transferId }
}
