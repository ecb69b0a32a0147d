import type { Command } from 'commander-v14'
import { AppError } from '../../../shared/errors'
import type { CliContext } from '../context'
import { details, json } from '../output'
import { promptHidden } from '../terminal/prompt'

export function registerVaultCommands(program: Command, context: CliContext): void {
  program
    .command('init')
    .description(
      'Create a vault in the data folder. The master password is asked twice with echo off (or read from LATCHKEY_PASSWORD, least safe) and must pass the same strength rule as the app.',
    )
    .option('--keychain', 'also unlock with the OS keychain')
    .option('--json', 'JSON for machines')
    .action(async (options: { keychain?: boolean; json?: boolean }) => {
      await context.withVault(
        'init',
        async (client) => {
          if (client.holder.kind === 'app') {
            throw new AppError('CONFLICT', {
              entityType: 'vault',
              entityId: 'vault',
              message: `The Latchkey app (process ${client.holder.pid}) has this data folder open; create the vault there.`,
            })
          }
          // Before asking anything: a person should not type a new password twice to hear "exists".
          const existing = await client.call('vault.status', {})
          if (existing.state !== 'uninitialized') {
            throw new AppError('CONFLICT', {
              entityType: 'vault',
              entityId: existing.path,
              message: `A vault already exists at ${existing.path}.`,
            })
          }
          const password = context.env.LATCHKEY_PASSWORD ?? (await askNewPassword())
          const status = await client.call('vault.create', {
            password,
            useKeychain: options.keychain === true,
          })
          context.stdout.write(options.json ? json(status) : `Created the vault at ${status.path}.\n`)
        },
        false,
      )
    })

  program
    .command('status')
    .description('Whether a vault exists and is locked, where it is, and who holds it.')
    .option('--json', 'JSON for machines')
    .action(async (options: { json?: boolean }) => {
      await context.withVault(
        'status',
        async (client) => {
          const status = await client.call('vault.status', {})
          const heldBy =
            client.holder.kind === 'app' ? `the Latchkey app (process ${client.holder.pid})` : 'this command'
          context.stdout.write(
            options.json
              ? json({ ...status, heldBy: client.holder })
              : details([
                  ['state', status.state],
                  ['path', status.path],
                  ['held by', heldBy],
                  [
                    'keychain',
                    status.keychain.enrolled
                      ? 'enrolled'
                      : status.keychain.available
                        ? 'available, not enrolled'
                        : `unavailable${status.keychain.reason ? ` (${status.keychain.reason})` : ''}`,
                  ],
                ]),
          )
        },
        false,
      )
    })
}

async function askNewPassword(): Promise<string> {
  const first = await promptHidden('New master password: ')
  if (first === null) {
    throw new AppError('AUTHENTICATION', {
      message:
        'No terminal to ask for a master password on. Run init in a terminal, or set LATCHKEY_PASSWORD (least safe).',
    })
  }
  const second = await promptHidden('Repeat it: ')
  if (second !== first) {
    throw new AppError('VALIDATION', {
      message: 'The two passwords differ; nothing was created.',
      issues: [{ path: 'password', message: 'The two passwords differ.' }],
    })
  }
  return first
}
