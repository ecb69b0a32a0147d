import { AsyncEntry } from '@napi-rs/keyring'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const TOOLS = ['dbus-daemon', 'gnome-keyring-daemon'] as const
/** The Debian packages that provide both daemons. */
export const INSTALL_HINT = 'apt-get install gnome-keyring dbus'
/** The login keyring's password inside the private keyring; it guards nothing outside the temp dir. */
const KEYRING_PASSWORD = 'latchkey-test-keyring'

/**
 * A real Secret Service that is private to one test file: its own D-Bus session bus and its own
 * gnome-keyring-daemon, with HOME and XDG folders in a temp dir, so the person's keyring is never
 * touched. The bus has no service directories, so nothing is D-Bus-activated behind the test's back:
 * once `stopKeyring()` runs, no Secret Service answers.
 *
 * One per test file: libdbus keeps the first session bus it reaches for the rest of the process,
 * and vitest runs each file in its own process, so a file's tests share one service.
 */
export interface PrivateSecretService {
  address: string
  /** Stops gnome-keyring-daemon, as when the keyring crashes or the user quits it. */
  stopKeyring(): Promise<void>
  stop(): Promise<void>
}

export function missingSecretServiceTools(): string[] {
  return TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
}

/**
 * Starts the bus and the keyring, waits until the Secret Service answers, and points this process's
 * DBUS_SESSION_BUS_ADDRESS at it (children started afterwards inherit it) until `stop()`.
 */
export async function startPrivateSecretService(): Promise<PrivateSecretService> {
  const root = mkdtempSync(join(tmpdir(), 'latchkey-secret-service-'))
  const home = join(root, 'home')
  const runtime = join(root, 'run')
  mkdirSync(home, { mode: 0o700 })
  mkdirSync(runtime, { mode: 0o700 })
  const previousAddress = process.env.DBUS_SESSION_BUS_ADDRESS
  const children: ChildProcess[] = []
  const stopChild = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    // A daemon that ignores SIGTERM (gnome-keyring mid-request) must not outlive the test.
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(kill)
  }
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child)
    if (previousAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS
    else process.env.DBUS_SESSION_BUS_ADDRESS = previousAddress
    rmSync(root, { recursive: true, force: true })
  }
  try {
    const bus = spawn(
      'dbus-daemon',
      ['--config-file', writeBusConfig(root), '--nofork', '--print-address=1'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    children.push(bus)
    const address = await firstLine(bus, 'dbus-daemon')
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env: {
        ...process.env,
        HOME: home,
        XDG_DATA_HOME: join(home, '.local', 'share'),
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_RUNTIME_DIR: runtime,
        DBUS_SESSION_BUS_ADDRESS: address,
      },
      stdio: ['pipe', 'ignore', 'ignore'],
    })
    children.push(keyring)
    // --unlock reads the login keyring's password from stdin, creating the keyring unlocked.
    keyring.stdin!.end(KEYRING_PASSWORD)
    process.env.DBUS_SESSION_BUS_ADDRESS = address
    await untilSecretServiceAnswers(keyring)
    return { address, stopKeyring: () => stopChild(keyring), stop }
  } catch (error) {
    await stop()
    throw error
  }
}

function writeBusConfig(root: string): string {
  const path = join(root, 'session-bus.conf')
  writeFileSync(
    path,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${root}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  )
  return path
}

function firstLine(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} printed no address within 10 s.`)), 10_000)
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it started.`)))
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      resolve(line.trim())
    })
  })
}

/**
 * The daemon registers on the bus a moment after it starts; a store-and-remove round trip proves it.
 * Each try needs a fresh entry: an entry that once failed to reach the service keeps failing.
 */
async function untilSecretServiceAnswers(keyring: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    if (keyring.exitCode !== null) throw new Error(`gnome-keyring-daemon exited with ${keyring.exitCode}.`)
    try {
      const probe = new AsyncEntry('Latchkey test', 'readiness', { linux: { store: 'secret-service' } })
      await probe.setPassword('ready')
      await probe.deleteCredential()
      return
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`The private Secret Service never answered: ${String(error)}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}
