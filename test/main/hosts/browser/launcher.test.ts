import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBrowserMode, type RunningBrowserMode } from '../../../../src/main/hosts/browser/cli'
import { createLauncherOpener } from '../../../../src/main/hosts/browser/launcher-opener'
import { silentLogger } from '../../../../src/main/platform/logger'
import { createUnavailableKeeper } from '../../../../src/main/platform/unavailable-keeper'

interface Launched {
  command: string
  args: readonly string[]
}

describe('browser mode opens the browser through a launcher file', () => {
  let work: string
  let launched: Launched[]
  let lines: string[]
  let running: RunningBrowserMode | undefined

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'latchkey-launch-'))
    writeFileSync(join(work, 'index.html'), '<!doctype html><title>t</title>')
    launched = []
    lines = []
  })

  afterEach(async () => {
    await running?.close()
    running = undefined
    rmSync(work, { recursive: true, force: true })
  })

  const start = () =>
    startBrowserMode({ dataDir: join(work, 'data'), port: 0, open: true }, work, {
      secretKeeper: createUnavailableKeeper('This test needs no keychain.'),
      launch: (command, args) => launched.push({ command, args }),
      logger: silentLogger,
      writeLine: (line) => lines.push(line),
      tempDir: work,
    })

  it('keeps the session token off the opener’s command line', async () => {
    running = await start()
    const token = new URL(running.url).hash.replace('#token=', '')
    expect(token.length).toBeGreaterThan(20)
    expect(lines).toEqual([`Latchkey running at ${running.url}`])
    expect(launched).toHaveLength(1)
    const argv = [launched[0]!.command, ...launched[0]!.args]
    for (const arg of argv) expect(arg).not.toContain(token)
  })

  // Windows has no mode bits; the per-user temp folder's ACL protects the file there.
  it.skipIf(process.platform === 'win32')(
    'writes a launcher only this user can read, which moves on to the URL',
    async () => {
      running = await start()
      const path = launched[0]!.args.at(-1)!
      expect(statSync(path).mode & 0o777).toBe(0o600)
      expect(statSync(dirname(path)).mode & 0o777).toBe(0o700)
      const page = readFileSync(path, 'utf8')
      expect(page).toContain(`<meta http-equiv="refresh" content="0;url=${running.url}">`)
    },
  )

  it('removes the launcher when browser mode shuts down', async () => {
    running = await start()
    const path = launched[0]!.args.at(-1)!
    expect(existsSync(path)).toBe(true)
    await running.close()
    running = undefined
    expect(existsSync(dirname(path))).toBe(false)
  })

  it('opens nothing with --no-open', async () => {
    running = await startBrowserMode({ dataDir: join(work, 'data'), port: 0, open: false }, work, {
      secretKeeper: createUnavailableKeeper('This test needs no keychain.'),
      launch: (command, args) => launched.push({ command, args }),
      logger: silentLogger,
      writeLine: (line) => lines.push(line),
      tempDir: work,
    })
    expect(launched).toEqual([])
    expect(readdirSync(work).filter((name) => name.startsWith('latchkey-open-'))).toEqual([])
  })
})

describe('a launcher file', () => {
  let work: string
  beforeEach(() => (work = mkdtempSync(join(tmpdir(), 'latchkey-launch-'))))
  afterEach(() => rmSync(work, { recursive: true, force: true }))

  it('is removed on its own once the browser has had time to read it', async () => {
    const paths: string[] = []
    const opener = createLauncherOpener({
      launch: (_command, args) => paths.push(args.at(-1)!),
      removeAfterMs: 50,
      tempDir: work,
    })
    opener.open('http://127.0.0.1:1/#token=abc')
    expect(existsSync(paths[0]!)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(existsSync(dirname(paths[0]!))).toBe(false)
  })

  it('escapes the URL for HTML', () => {
    const paths: string[] = []
    const opener = createLauncherOpener({ launch: (_c, args) => paths.push(args.at(-1)!), tempDir: work })
    opener.open('https://idp.test/authorize?a=1&b="><script>x</script>')
    const page = readFileSync(paths[0]!, 'utf8')
    expect(page).not.toContain('<script>')
    expect(page).toContain('a=1&#38;b=&#34;&#62;&#60;script&#62;')
    opener.removeAll()
  })

  it('is run with each OS’s opener, given only the file’s path', () => {
    for (const [platform, command] of [
      ['linux', 'xdg-open'],
      ['darwin', 'open'],
      ['win32', 'rundll32'],
    ] as const) {
      const calls: Launched[] = []
      const opener = createLauncherOpener({
        launch: (cmd, args) => calls.push({ command: cmd, args }),
        platform,
        tempDir: work,
      })
      opener.open('http://127.0.0.1:1/#token=abc')
      expect(calls[0]!.command).toBe(command)
      expect(calls[0]!.args.at(-1)).toMatch(/open-latchkey\.html$/)
      expect(calls[0]!.args.join(' ')).not.toContain('token')
      opener.removeAll()
    }
  })
})
