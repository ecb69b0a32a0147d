import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export interface BrowserModeProcess {
  url: string
  origin: string
  token: string
  dataDir: string
  stdoutLines: string[]
  /** What the process wrote to stderr so far: build output, and any fallback notice. */
  stderr(): string
  stop(): Promise<void>
}

const repoRoot = join(__dirname, '..', '..')

export interface StartOptions {
  dataDir?: string
  extraArgs?: string[]
  /** The command that starts it; browser-mode options follow. Default: `npm run start:web`'s script. */
  command?: [string, ...string[]]
  env?: NodeJS.ProcessEnv
}

/** Starts `npm run start:web` the way a user would, on a fresh data dir, and reads the URL line. */
export async function startBrowserMode(options: StartOptions = {}): Promise<BrowserModeProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-e2e-'))
  const [command, ...commandArgs] = options.command ?? [
    process.execPath,
    join(repoRoot, 'scripts', 'start-web.mjs'),
  ]
  const child: ChildProcess = spawn(
    command,
    [...commandArgs, '--data-dir', dataDir, '--port', '0', '--no-open', ...(options.extraArgs ?? [])],
    // Its own process group, so stop() reaches whatever it started: `npm start` is npm, then sh,
    // then start.mjs serving browser mode, and npm 11 exits on SIGTERM without passing it on, which
    // left the server running (and its data folder deleted under it) after the tests.
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, detached: true },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk) => (stderr += chunk.toString()))
  const stdoutLines: string[] = []
  const lines = createInterface({ input: child.stdout! })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start:\n${stderr}`)), 90_000)
    lines.on('line', (line) => {
      stdoutLines.push(line)
      const match = /^Latchkey running at (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)$/.exec(line)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`browser mode exited with ${code}:\n${stderr}`))
    })
  })
  const parsed = new URL(url)
  return {
    url,
    origin: parsed.origin,
    token: parsed.hash.replace('#token=', ''),
    dataDir,
    stdoutLines,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        killGroup(child, 'SIGTERM')
        await exited
      }
      // The group's last members (start.mjs under npm) may outlive its leader by a moment.
      killGroup(child, 'SIGTERM')
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Signals the child's whole process group; nothing to do when it is already gone. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // ESRCH: the group has exited.
  }
}
