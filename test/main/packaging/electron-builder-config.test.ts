import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// CI cannot download Electron, so it cannot package; it can still hold electron-builder.yml to
// electron-builder's own schema and to the promises the README makes about the installers.
const root = join(__dirname, '..', '..', '..')

async function loadConfig(override?: Record<string, unknown>) {
  const config = await getConfig(root, join(root, 'electron-builder.yml'), override ?? null)
  await validateConfiguration(config, new DebugLogger(false))
  return config
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(loadConfig()).resolves.toMatchObject({ appId: 'dev.latchkey.app' })
  })

  it('is really checked: a misspelt option is refused', async () => {
    await expect(loadConfig({ mac: { hardenedRuntme: true } })).rejects.toThrow(
      /Invalid configuration object[\s\S]*configuration\.mac/,
    )
  })

  it('builds AppImage and deb, a hardened dmg and an nsis installer', async () => {
    const config = await loadConfig()
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.mac).toMatchObject({ target: ['dmg'], hardenedRuntime: true })
    const entitlements = readFileSync(join(root, config.mac!.entitlements!), 'utf8')
    // Only the JIT exception Electron needs; no device, automation or library-validation opt-outs.
    expect([...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1])).toEqual([
      'com.apple.security.cs.allow-jit',
    ])
    expect(config.mac!.entitlementsInherit).toBe(config.mac!.entitlements)
  })

  it('ships the Electron build of better-sqlite3 outside the asar, and never rebuilds node_modules', async () => {
    const config = await loadConfig()
    expect(config.npmRebuild).toBe(false)
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**')
    // Where scripts/electron-native.mjs publishes it, and where hosts/desktop/native-binding.ts looks.
    expect(config.extraResources).toEqual([
      { from: '.cache/electron-native/current/better_sqlite3.node', to: 'native/better_sqlite3.node' },
    ])
    expect(readFileSync(join(root, 'scripts', 'electron-native.mjs'), 'utf8')).toContain(
      "join(root, '.cache', 'electron-native', 'current', 'better_sqlite3.node')",
    )
    expect(readFileSync(join(root, 'src/main/hosts/desktop/native-binding.ts'), 'utf8')).toContain(
      "join(resourcesPath, 'native', 'better_sqlite3.node')",
    )
  })

  it('sets the fuses that keep an installed app from being turned into something else', async () => {
    const config = await loadConfig()
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
  })

  it('names resources that exist', async () => {
    const config = await loadConfig()
    const buildResources = config.directories!.buildResources!
    expect(existsSync(join(root, buildResources, 'icon.png'))).toBe(true)
  })
})
