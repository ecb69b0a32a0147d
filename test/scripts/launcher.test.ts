import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  electronBinaryStatus,
  electronExecutableName,
  progressReporter,
} from '../../scripts/desktop/electron-binary.mjs'
import { displayProblem } from '../../scripts/desktop/prepare.mjs'

const scratch: string[] = []
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A stand-in for node_modules/electron as npm leaves it: package.json, and dist/ only once unpacked. */
function electronPackage(version: string, unpacked?: { version: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-electron-'))
  scratch.push(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version }))
  if (unpacked) {
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'dist', 'version'), `v${unpacked.version}`)
    writeFileSync(join(dir, 'dist', 'electron'), '')
  }
  return dir
}

describe('npm start: is Electron there?', () => {
  it('is missing after an install that skipped its download', () => {
    const dir = electronPackage('39.8.10')
    expect(electronBinaryStatus({ electronDir: dir, env: {}, platform: 'linux' })).toEqual({
      version: '39.8.10',
      path: join(dir, 'dist', 'electron'),
      present: false,
    })
  })

  it('is present once unpacked at the same version, and missing again after an upgrade', () => {
    expect(
      electronBinaryStatus({
        electronDir: electronPackage('39.8.10', { version: '39.8.10' }),
        env: {},
        platform: 'linux',
      }).present,
    ).toBe(true)
    expect(
      electronBinaryStatus({
        electronDir: electronPackage('39.9.0', { version: '39.8.10' }),
        env: {},
        platform: 'linux',
      }).present,
    ).toBe(false)
  })

  it("honours Electron's ELECTRON_OVERRIDE_DIST_PATH as require('electron') does", () => {
    const dir = electronPackage('39.8.10', { version: '39.8.10' })
    const empty = mkdtempSync(join(tmpdir(), 'latchkey-dist-'))
    scratch.push(empty)
    const status = electronBinaryStatus({
      electronDir: dir,
      env: { ELECTRON_OVERRIDE_DIST_PATH: empty },
      platform: 'linux',
    })
    expect(status).toMatchObject({ path: join(empty, 'electron'), present: false })
  })

  it("uses Electron's executable name on each platform", () => {
    expect(electronExecutableName('linux')).toBe('electron')
    expect(electronExecutableName('win32')).toBe('electron.exe')
    expect(electronExecutableName('darwin')).toBe('Electron.app/Contents/MacOS/Electron')
  })
})

describe('npm start: can a window open?', () => {
  it('needs DISPLAY or WAYLAND_DISPLAY on Linux, and says so', () => {
    expect(displayProblem({ platform: 'linux', env: {} })).toMatch(
      /no graphical display.*DISPLAY.*WAYLAND_DISPLAY/,
    )
    expect(displayProblem({ platform: 'linux', env: { DISPLAY: ':0' } })).toBeNull()
    expect(displayProblem({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } })).toBeNull()
  })

  it('never blocks macOS or Windows, which always have one', () => {
    expect(displayProblem({ platform: 'darwin', env: {} })).toBeNull()
    expect(displayProblem({ platform: 'win32', env: {} })).toBeNull()
  })
})

describe('npm start: download progress', () => {
  function capture(isTTY: boolean) {
    const writes: string[] = []
    return { stream: { isTTY, write: (text: string) => writes.push(text) }, writes }
  }

  it('prints every tenth percent as a line when stderr is not a terminal', () => {
    const { stream, writes } = capture(false)
    const report = progressReporter(stream)
    const total = 100 * 1024 * 1024
    for (let step = 0; step <= 100; step += 1)
      report({ percent: step / 100, transferred: (total * step) / 100, total })
    expect(writes).toHaveLength(11)
    expect(writes[5]).toBe('Downloading Electron: 50% (50 MB of 100 MB)\n')
  })

  it('rewrites one line in place on a terminal, and ends it at 100%', () => {
    const { stream, writes } = capture(true)
    const report = progressReporter(stream)
    report({ percent: 0.42, transferred: 42, total: 0 })
    report({ percent: 0.42, transferred: 43, total: 0 })
    report({ percent: 1, transferred: 100, total: 0 })
    expect(writes).toEqual(['\rDownloading Electron: 42%', '\rDownloading Electron: 100%\n'])
  })
})
