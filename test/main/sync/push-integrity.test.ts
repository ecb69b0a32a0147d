import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { RemoteSyncStatus } from '../../../src/shared/contract'
import { VAULT_FILE_NAME } from '../../../src/main/vault/vault-manager'
import { startSyncServer, type SyncServer } from '../../support/sync-server'
import { syncHarness, type SyncHarness } from './support'

// Push sends a connection's value under the row's identity (name, piece, externalId, projects).
// A row whose identity was edited in the closed file must not leave for a remote, exactly as
// reveal, copy, policies.resolve and export refuse it: INTEGRITY stops that entry, the rest go.

const open: SyncHarness[] = []
const servers: SyncServer[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const h of open.splice(0)) await h.dispose()
  for (const server of servers.splice(0)) await server.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function harnessAt(dataDir: string, server: SyncServer, create: boolean): Promise<SyncHarness> {
  const h = await syncHarness({ dataDir, server, create })
  open.push(h)
  return h
}

async function closeHarness(h: SyncHarness): Promise<void> {
  open.splice(open.indexOf(h), 1)
  await h.dispose()
}

/** The attacker edits the closed file with SQLite; no key, so no MAC can follow. */
function renameInFile(dataDir: string, externalId: string, displayName: string): void {
  const db = new Database(join(dataDir, VAULT_FILE_NAME))
  try {
    const changed = db
      .prepare('UPDATE connections SET display_name = ? WHERE external_id = ?')
      .run(displayName, externalId)
    expect(changed.changes).toBe(1)
  } finally {
    db.close()
  }
}

async function status(h: SyncHarness): Promise<RemoteSyncStatus> {
  const [first] = await h.call<RemoteSyncStatus[]>('sync.status')
  return first!
}

async function setUp(): Promise<{ dataDir: string; server: SyncServer }> {
  const server = await startSyncServer({ dialect: 'activepieces' })
  servers.push(server)
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-push-integrity-'))
  dirs.push(dataDir)
  return { dataDir, server }
}

it('a row renamed in the file is not pushed: INTEGRITY stops that entry, the others go out', async () => {
  const { dataDir, server } = await setUp()
  const before = await harnessAt(dataDir, server, true)
  await before.save('tampered')
  await before.save('fine')
  await closeHarness(before)
  renameInFile(dataDir, 'tampered', 'Slack payroll')

  const h = await harnessAt(dataDir, server, false)
  const run = await h.sync()
  expect(run).toMatchObject({ pushed: 1, failed: 1, error: null })
  // Nothing of the edited row reached the remote: neither its value nor its forged name.
  expect(server.rows('activepieces').map((row) => row.externalId)).toEqual(['fine'])
  expect(server.writes().filter((write) => write.externalId === 'tampered')).toEqual([])
  const stopped = await status(h)
  expect(stopped).toMatchObject({ pending: 1, failed: 1 })
  expect(stopped.stopped[0]!.error).toMatchObject({ code: 'INTEGRITY', status: null })
  expect(stopped.stopped[0]!.error.message).not.toContain('secret-tampered')
  const tampered = (await h.local()).get('tampered')!
  const [state] = await h.call<{ error: { code: string } | null }[]>('sync.connectionStates', {
    ids: [tampered.id],
  })
  expect(state?.error?.code).toBe('INTEGRITY')

  // Sync now tries it again, and again refuses; the row is never sent.
  expect(await h.sync()).toMatchObject({ pushed: 0, failed: 1, error: null })
  expect(server.rows('activepieces').map((row) => row.externalId)).toEqual(['fine'])
})

it('a rename pushed as a metadata update is refused too when the row was edited in the file', async () => {
  const { dataDir, server } = await setUp()
  const before = await harnessAt(dataDir, server, true)
  const saved = await before.save('renamed')
  await before.sync()
  expect(server.rows('activepieces')[0]).toMatchObject({
    externalId: 'renamed',
    displayName: 'Slack renamed',
  })
  await before.call('connections.update', { id: saved.id, displayName: 'Slack renamed here' })
  await closeHarness(before)
  renameInFile(dataDir, 'renamed', 'Slack forged')

  const h = await harnessAt(dataDir, server, false)
  expect(await h.sync()).toMatchObject({ pushed: 0, failed: 1, error: null })
  expect(server.rows('activepieces')[0]).toMatchObject({
    externalId: 'renamed',
    displayName: 'Slack renamed',
  })
  expect((await status(h)).stopped[0]!.error.code).toBe('INTEGRITY')
})
