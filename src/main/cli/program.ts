import { Command, CommanderError } from 'commander-v14'
import { AppError, isAppError } from '../../shared/errors'
import { APP_VERSION } from '../app/version'
import { registerAuditCommand } from './commands/audit-command'
import { registerConnectionCommands } from './commands/connection-commands'
import { registerPolicyCommands } from './commands/policy-commands'
import { registerRunCommand } from './commands/run-command'
import { registerTransferCommands } from './commands/transfer-commands'
import { registerVaultCommands } from './commands/vault-commands'
import { createContext, type CliDependencies } from './context'
import { EXIT, errorLine, exitCodeOf } from './output'

const EPILOG = `
Exit codes: 0 ok, 1 error, 2 usage, 3 locked or authentication, 4 not found.
Errors go to stderr as one line: "latchkey: CODE: message", CODE from Latchkey's error contract.

While the Latchkey app has the vault open, commands use it (the app asks you to approve each
terminal; a session ends after 10 minutes idle, 12 hours, or when the app locks). Otherwise the
command opens the vault itself: OS keychain if set up, else a password prompt; LATCHKEY_PASSWORD
works too but is the least safe (other processes of yours can read it).`

function buildProgram(deps: CliDependencies): Command {
  const program = new Command('latchkey')
    .description('Latchkey from scripts and terminals: the same vault as the app.')
    .version(APP_VERSION)
    .option('--data-dir <dir>', 'the data folder (default: the desktop app’s, or LATCHKEY_DATA_DIR)')
    .addHelpText('after', EPILOG)
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
    })
  const context = createContext(deps, () => program.opts<{ dataDir?: string }>().dataDir)
  registerVaultCommands(program, context)
  registerConnectionCommands(program, context)
  registerPolicyCommands(program, context)
  registerAuditCommand(program, context)
  registerTransferCommands(program, context)
  registerRunCommand(program, context)
  // Every subcommand reports usage errors the same way and lets runCli pick the exit code.
  for (const command of allCommands(program))
    command.exitOverride().configureOutput(program.configureOutput())
  return program
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)])
}

/** Runs one command line and answers its exit code; never throws. */
export async function runCli(argv: string[], deps: CliDependencies): Promise<number> {
  const program = buildProgram(deps)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return EXIT.ok
      }
      return EXIT.usage
    }
    const appError = isAppError(error)
      ? error
      : new AppError('INTERNAL', { message: describeUnexpected(error) })
    deps.stderr.write(`${errorLine(appError)}\n`)
    return exitCodeOf(appError)
  }
}

/** A file or system error names its code and path, never its message (a library could quote input). */
function describeUnexpected(error: unknown): string {
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown }
  if (typeof code === 'string') return `${code}${typeof path === 'string' ? ` ${path}` : ''}`
  return 'Something went wrong inside Latchkey. Nothing was changed.'
}
