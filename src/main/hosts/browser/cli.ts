import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Logger } from '../../adapters/logger'
import type { SecretKeeper } from '../../adapters/secret-keeper'
import { APP_VERSION } from '../../app/version'
import { createCore } from '../../core'
import { platformFetch, warmPlatformFetch } from '../../platform/fetch'
import { createKeyringKeeper } from '../../platform/keyring-keeper'
import { createStderrLogger } from '../../platform/logger'
import { launchDetached, type LaunchProcess } from '../../platform/open-url'
import { APP_NAME, defaultDataDir } from '../../platform/paths'
import { startCliChannel } from '../cli-channel/server'
import { createLauncherOpener } from './launcher-opener'
import { startBrowserServer } from './server'

export interface BrowserModeArguments {
  dataDir: string
  port: number
  open: boolean
}

export function parseBrowserModeArguments(argv: string[]): BrowserModeArguments {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      'no-open': { type: 'boolean', default: false },
    },
    strict: true,
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}".`)
  }
  return {
    dataDir: resolve(values['data-dir'] ?? defaultDataDir()),
    port,
    open: !values['no-open'],
  }
}

/** What browser mode takes from the machine; runBrowserMode passes the real ones. */
export interface BrowserModeAdapters {
  secretKeeper: SecretKeeper
  /** Runs the OS opener (xdg-open, open, rundll32) on a launcher file's path. */
  launch: LaunchProcess
  logger: Logger
  /** Where the one "Latchkey running at URL" line goes. */
  writeLine: (line: string) => void
  /** Where launcher files are made; the OS temp folder by default. */
  tempDir?: string
}

export interface RunningBrowserMode {
  url: string
  close(): Promise<void>
  /** Deletes launcher files synchronously, for process 'exit'. */
  removeLauncherFiles(): void
}

/** Browser mode's composition root: the core with Node adapters, bound to the loopback server. */
export async function startBrowserMode(
  args: BrowserModeArguments,
  rendererDir: string,
  adapters: BrowserModeAdapters,
): Promise<RunningBrowserMode> {
  mkdirSync(args.dataDir, { recursive: true, mode: 0o700 })
  const launcher = createLauncherOpener({ launch: adapters.launch, tempDir: adapters.tempDir })
  const core = createCore({
    identity: { name: APP_NAME, version: APP_VERSION, host: 'browser' },
    dataDir: args.dataDir,
    logger: adapters.logger,
    secretKeeper: adapters.secretKeeper,
    // The person is in a browser already, maybe on another machine than this process: the page
    // opens the sign-in in a new tab itself (oauth.start answers opened: false), not xdg-open here.
    openExternal: null,
    fetch: platformFetch,
  })
  const server = await startBrowserServer({ core, rendererDir, port: args.port })
  // The `latchkey` command line uses this process's unlocked vault, with the person's approval.
  // Without it the app still works: the CLI then reports the one-owner error naming this process.
  const cliChannel = await startCliChannel({ core, dataDir: args.dataDir, logger: adapters.logger }).catch(
    (error: Error) => {
      adapters.logger.error('the CLI channel did not start', { reason: error.message })
      return null
    },
  )
  // The one line on stdout: people and scripts (the end-to-end tests) read the URL from it.
  adapters.writeLine(`Latchkey running at ${server.url}`)
  if (args.open) launcher.open(server.url)
  warmPlatformFetch()
  return {
    url: server.url,
    async close() {
      launcher.removeAll()
      await cliChannel?.close()
      await server.close()
      await core.close()
    },
    removeLauncherFiles: () => launcher.removeAll(),
  }
}

export async function runBrowserMode(argv: string[], rendererDir: string): Promise<void> {
  let args: BrowserModeArguments
  try {
    args = parseBrowserModeArguments(argv)
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`)
    process.exitCode = 2
    return
  }
  const running = await startBrowserMode(args, rendererDir, {
    // Browser mode's keychain; the desktop uses safeStorage, so this module stays out of its bundle.
    secretKeeper: createKeyringKeeper(),
    launch: launchDetached,
    logger: createStderrLogger(),
    writeLine: (line) => process.stdout.write(`${line}\n`),
  })
  process.once('exit', running.removeLauncherFiles)
  const shutdown = async () => {
    // A keychain call stuck on a vanished Secret Service, or a socket that will not close, must not
    // keep a stopped server alive: the vault's writes are committed transactions, so exiting is safe.
    setTimeout(() => {
      process.stderr.write(`Latchkey did not shut down within ${SHUTDOWN_GRACE_MS / 1000} s; exiting.\n`)
      process.exit(1)
    }, SHUTDOWN_GRACE_MS).unref()
    await running.close()
    process.exit(0)
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

const SHUTDOWN_GRACE_MS = 5_000

export const defaultRendererDir = (outMainDir: string) => join(outMainDir, '..', 'renderer')
