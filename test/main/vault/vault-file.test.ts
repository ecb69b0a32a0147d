import Database from 'better-sqlite3'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { VaultStatus } from '../../../src/shared/contract'
import { migrations } from '../../../src/main/vault/migrations'
import { inspectVaultFile } from '../../../src/main/vault/store'
import { createUnlockedTestCore, createVaultTestCore } from '../../support/vault'
import { insertConnection, sha256File } from './fixtures'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A closed, healthy vault with data, copied so each test damages its own. */
async function closedVault(): Promise<{ dataDir: string; file: string }> {
  const t = await createUnlockedTestCore()
  insertConnection(t.session, 'conn_1', 'sk-live-abc')
  await t.core.close()
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-damaged-'))
  dirs.push(dataDir, t.dataDir)
  copyFileSync(join(t.dataDir, 'vault.sqlite'), join(dataDir, 'vault.sqlite'))
  return { dataDir, file: join(dataDir, 'vault.sqlite') }
}

async function expectRefusedUntouched(dataDir: string, file: string, code: string, message: RegExp) {
  const before = sha256File(file)
  const t = createVaultTestCore({ dataDir })
  try {
    const error = await t.call<VaultStatus>('vault.status').catch((e: unknown) => e)
    expect(error).toMatchObject({ code, params: { message: expect.stringMatching(message) } })
    expect((error as { params: { message: string } }).params.message).toContain(file)
    // a second try still refuses, and still changes nothing
    await expect(t.call('vault.unlock', { password: 'whatever it is' })).rejects.toMatchObject({ code })
  } finally {
    await t.dispose()
  }
  expect(sha256File(file)).toBe(before)
}

describe('opening a damaged or foreign vault file', () => {
  it('refuses a truncated file and leaves it byte-for-byte untouched', async () => {
    const { dataDir, file } = await closedVault()
    const size = readFileSync(file).length
    truncateSync(file, size - 4096)
    await expectRefusedUntouched(dataDir, file, 'INTEGRITY', /truncated/)
  })

  it('refuses a file cut inside the SQLite header', async () => {
    const { dataDir, file } = await closedVault()
    truncateSync(file, 50)
    await expectRefusedUntouched(dataDir, file, 'INTEGRITY', /truncated/)
  })

  it('refuses a file that is not SQLite', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-foreign-'))
    dirs.push(dataDir)
    const file = join(dataDir, 'vault.sqlite')
    writeFileSync(file, Buffer.alloc(8192, 'not a database, just some text. '))
    await expectRefusedUntouched(dataDir, file, 'INTEGRITY', /not a Latchkey vault/)
  })

  it('refuses an SQLite database that is not a vault', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-foreign-'))
    dirs.push(dataDir)
    const file = join(dataDir, 'vault.sqlite')
    const db = new Database(file)
    db.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (1)')
    db.close()
    await expectRefusedUntouched(dataDir, file, 'INTEGRITY', /not a Latchkey vault/)
  })

  it('refuses a vault from a newer schema version, naming both versions', async () => {
    const { dataDir, file } = await closedVault()
    const db = new Database(file)
    db.pragma('user_version = 99')
    db.close()
    await expectRefusedUntouched(dataDir, file, 'VAULT_UNAVAILABLE', /newer version of Latchkey \(schema 99;/)
  })

  it('refuses a vault whose header row is missing', async () => {
    const { dataDir, file } = await closedVault()
    const db = new Database(file)
    db.exec('DELETE FROM vault_header')
    db.close()
    await expectRefusedUntouched(dataDir, file, 'INTEGRITY', /missing or damaged vault header/)
  })

  it('refuses a vault whose header KDF settings are corrupt, at unlock, without changing it', async () => {
    const { dataDir, file } = await closedVault()
    const db = new Database(file)
    db.prepare('UPDATE vault_header SET kdf = ?').run('{"algorithm":"scrypt","params":{"N":3}}')
    db.close()
    const before = sha256File(file)
    const t = createVaultTestCore({ dataDir })
    try {
      expect((await t.call<VaultStatus>('vault.status')).state).toBe('locked')
      await expect(
        t.call('vault.unlock', { password: 'correct horse battery staple' }),
      ).rejects.toMatchObject({
        code: 'INTEGRITY',
        params: { message: expect.stringMatching(/key derivation settings/) },
      })
    } finally {
      await t.dispose()
    }
    expect(sha256File(file)).toBe(before)
  })

  it('leaves the whole-file check to writers: a read-only CLI command skips it, a migration never does', async () => {
    const { file } = await closedVault()
    const db = new Database(file)
    const { pageno } = db
      .prepare("SELECT pageno FROM dbstat WHERE name = 'connections_by_owner' ORDER BY pageno DESC LIMIT 1")
      .get() as { pageno: number }
    const pageSize = db.pragma('page_size', { simple: true }) as number
    db.close()
    // An index page only a whole-file check reads: the header, schema and vault header still read.
    const bytes = readFileSync(file)
    bytes.fill(0xa5, (pageno - 1) * pageSize + 8, (pageno - 1) * pageSize + 400)
    writeFileSync(file, bytes)
    expect(() => inspectVaultFile({ path: file })).toThrow(/does not pass its own consistency check/)
    expect(() => inspectVaultFile({ path: file, consistencyCheck: false })).not.toThrow()
    // A file this build would migrate is checked in full whatever the command.
    expect(() =>
      inspectVaultFile({ path: file, consistencyCheck: false, migrations: [...migrations, migrations[0]!] }),
    ).toThrow(/does not pass its own consistency check/)
  })

  it('refuses a page-level corruption found by SQLite’s own check', async () => {
    const { dataDir, file } = await closedVault()
    const bytes = readFileSync(file)
    // Scribble over the second page (the first table's b-tree) but keep the 100-byte file header.
    bytes.fill(0xa5, 4096 + 8, 4096 + 400)
    writeFileSync(file, bytes)
    await expectRefusedUntouched(dataDir, file, 'INTEGRITY', /damaged|header/)
  })
})
