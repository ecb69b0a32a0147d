import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { constants } from 'node:os'
import type { Command } from 'commander-v14'
import { validationError } from '../../../shared/errors'
import type { CliContext } from '../context'
import { parseEnvFlag, parseEnvTemplate, type EnvEntry } from './env-template'
import { fieldOf, revealConnection } from './find-connection'

export function registerRunCommand(program: Command, context: CliContext): void {
  program
    .command('run')
    .description(
      'Run COMMAND with secrets in its environment only: never on disk, never in its arguments. The vault is closed before COMMAND starts.',
    )
    .option('--env <NAME=ID[.field]...>', 'a variable from a connection’s field (repeatable)', collect, [])
    .option('--env-file <file>', 'a .env template whose values may be latchkey://ID/field references')
    .argument('<command...>', 'the command and its arguments, after --')
    .passThroughOptions()
    .action(async (command: string[], options: { env: string[]; envFile?: string }) => {
      const entries: EnvEntry[] = [
        ...(options.envFile ? parseEnvTemplate(readFileSync(options.envFile, 'utf8'), options.envFile) : []),
        ...options.env.map(parseEnvFlag),
      ]
      if (entries.length === 0) throw validationError('run needs at least one --env or an --env-file.')
      const values = await context.withVault('run', async (client) => {
        const resolved: Record<string, string> = {}
        for (const entry of entries) {
          if (entry.kind === 'literal') {
            resolved[entry.name] = entry.value
            continue
          }
          const { id, value } = await revealConnection(client, entry.connection)
          resolved[entry.name] = fieldOf(id, value, entry.field)
        }
        return resolved
      })
      process.exitCode = await runChild(command, { ...withoutMasterPassword(context.env), ...values })
    })
}

const collect = (value: string, previous: string[]) => [...previous, value]

/** The child never needs the master password, whoever set it for this command. */
function withoutMasterPassword(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { LATCHKEY_PASSWORD: _dropped, ...rest } = env
  return rest
}

/** Runs without a shell (so nothing re-reads the arguments), forwarding Ctrl+C and termination. */
function runChild([file, ...args]: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(file!, args, { stdio: 'inherit', env })
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal)
    const onInt = forward('SIGINT')
    const onTerm = forward('SIGTERM')
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
    child.once('error', (error: NodeJS.ErrnoException) => {
      process.stderr.write(`latchkey: could not start ${file}: ${error.code ?? 'error'}\n`)
      resolve(127)
    })
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0))
    })
  })
}
