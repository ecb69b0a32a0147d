import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { APP_VERSION } from '../../app/version'
import { createCore } from '../../core'
import { createStderrLogger } from '../../platform/logger'
import { openInSystemBrowser } from '../../platform/open-url'
import { APP_NAME, defaultDataDir } from '../../platform/paths'
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

/** Browser mode's composition root: the core with Node adapters, bound to the loopback server. */
export async function runBrowserMode(argv: string[], rendererDir: string): Promise<void> {
  const logger = createStderrLogger()
  let args: BrowserModeArguments
  try {
    args = parseBrowserModeArguments(argv)
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`)
    process.exitCode = 2
    return
  }
  mkdirSync(args.dataDir, { recursive: true, mode: 0o700 })
  const core = createCore({
    identity: { name: APP_NAME, version: APP_VERSION, host: 'browser' },
    dataDir: args.dataDir,
    logger,
  })
  const server = await startBrowserServer({ core, rendererDir, port: args.port })
  // The one line on stdout: people and scripts (the end-to-end tests) read the URL from it.
  process.stdout.write(`Latchkey running at ${server.url}\n`)
  if (args.open) openInSystemBrowser(server.url)

  const shutdown = async () => {
    await server.close()
    await core.close()
    process.exit(0)
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

export const defaultRendererDir = (outMainDir: string) => join(outMainDir, '..', 'renderer')
