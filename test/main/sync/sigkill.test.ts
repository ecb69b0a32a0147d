import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Dialect } from '../../../src/main/sync/dialects/remote-client'
import { startSyncServer, type SyncServer } from '../../support/sync-server'
import { runChild } from '../vault/child-process'
import { expectRemoteEqualsLocal, syncHarness } from './support'

const COUNT = 24
let server: SyncServer | null = null
let dataDir: string | null = null
afterEach(async () => {
  await server?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  server = null
  dataDir = null
})

/** A vault with COUNT connections bound to the remote, closed so a child can own it. */
async function prepare(dialect: Dialect, firstSync: boolean): Promise<void> {
  server = await startSyncServer({ dialect })
  dataDir = mkdtempSync(join(tmpdir(), 'latchkey-sync-kill-'))
  const h = await syncHarness({ dialect, server, dataDir: dataDir!, create: true })
  for (let i = 0; i < COUNT; i += 1) await h.save(`c${i}`)
  if (firstSync) {
    await h.sync()
    const local = await h.local()
    for (const connection of local.values()) {
      await h.call('connections.rotate', {
        id: connection.id,
        value: { type: 'SECRET_TEXT', secret_text: `rotated-${connection.externalId}` },
      })
    }
  }
  await h.dispose()
}

/** Runs a child sync and SIGKILLs it once `killWhen` says so (or lets it finish when never). */
async function killedSync(killWhen: (line: string) => boolean): Promise<void> {
  const child = runChild('../../sync/children/sync-run.ts', [dataDir!])
  const hit = await Promise.race([
    child.waitFor((line) => killWhen(line) || line.startsWith('done')),
    child.exited,
  ])
  if (typeof hit === 'string' && !hit.startsWith('done')) child.process.kill('SIGKILL')
  await child.exited
}

/** Opens the vault again in this process, syncs to the end and checks the remote against it. */
async function finishAndCheck(dialect: Dialect): Promise<void> {
  const h = await syncHarness({ dialect, server: server!, dataDir: dataDir! })
  try {
    for (let run = 0; run < 3 && h.outboxSize() > 0; run += 1) await h.sync()
    const last = await h.sync()
    const waiting = h.session.db.prepare('SELECT operation, step, stopped_error FROM sync_outbox').all()
    expect({ waiting, conflicts: await h.call('sync.conflicts', {}), last }).toMatchObject({
      waiting: [],
      conflicts: [],
    })
    await expectRemoteEqualsLocal(h, dialect)
    expect((await h.local()).size).toBe(COUNT)
  } finally {
    await h.dispose()
  }
}

describe.each<Dialect>(['activepieces', 'weavz'])('%s: a sync SIGKILLed at any moment', (dialect) => {
  it.each([1, 7, 15])(
    'loses and duplicates nothing when killed after %i pushes (writes slowed so some die in flight)',
    async (after) => {
      await prepare(dialect, true)
      server!.faults.add({ kind: 'latency', ms: 15, match: { method: 'POST' } })
      await killedSync((line) => line === `progress push ${after}`)
      server!.faults.clear()
      await finishAndCheck(dialect)
    },
  )

  it('loses and duplicates nothing when killed during the pull', async () => {
    await prepare(dialect, true)
    server!.faults.add({ kind: 'latency', ms: 50, match: { method: 'GET' } })
    await killedSync((line) => line.startsWith('progress pull'))
    server!.faults.clear()
    await finishAndCheck(dialect)
  })
})

it('Weavz: a rotation killed between its delete and its create loses nothing and creates once', async () => {
  await prepare('weavz', true)
  // Every create hangs: the child deletes old rows, then waits on their creates.
  server!.faults.add({ kind: 'hang', match: { method: 'POST', dialect: 'weavz' } })
  const child = runChild('../../sync/children/sync-run.ts', [dataDir!])
  await child.waitFor((line) => line === 'ready')
  for (let i = 0; i < 500 && !server!.writes().some((write) => write.op === 'delete'); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  // Let every write in flight reach its delete (up to the push concurrency), then kill.
  await new Promise((resolve) => setTimeout(resolve, 300))
  child.process.kill('SIGKILL')
  await child.exited
  server!.faults.clear()
  const deletedBeforeKill = server!.writes().filter((write) => write.op === 'delete').length
  expect(deletedBeforeKill).toBeGreaterThanOrEqual(1)
  // Those rows are gone from the remote, their creates never answered: only the vault has them.
  expect(server!.rows('weavz')).toHaveLength(COUNT - deletedBeforeKill)
  await finishAndCheck('weavz')
  const deleted = server!
    .writes()
    .filter((write) => write.op === 'delete')
    .map((write) => write.externalId)
  const created = server!
    .writes()
    .filter((write) => write.op === 'create')
    .map((write) => write.externalId)
  // Each connection: created once at first, then one delete and one create for its rotation.
  for (let i = 0; i < COUNT; i += 1) {
    expect(created.filter((id) => id === `c${i}`)).toHaveLength(2)
    expect(deleted.filter((id) => id === `c${i}`)).toHaveLength(1)
  }
})
