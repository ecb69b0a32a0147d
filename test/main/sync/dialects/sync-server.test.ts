import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startSyncServer, type SyncServer } from '../../../support/sync-server'
import { clientFor, pullAll, secretText, signal } from './support'

let server: SyncServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('sync test server', () => {
  it('restarted on the same file is the same remote: same key, project, rows and write log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-sync-file-'))
    try {
      const dbFile = join(dir, 'server.sqlite')
      const first = await startSyncServer({ dialect: 'activepieces', dbFile })
      const created = await clientFor(first.target).upsert(secretText('kept', 'value'), signal)
      const { apiKey, projectId } = first
      await first.close()

      const again = (server = await startSyncServer({ dialect: 'activepieces', dbFile }))
      expect({ apiKey: again.apiKey, projectId: again.projectId }).toEqual({ apiKey, projectId })
      const { rows } = await pullAll(clientFor(again.target))
      expect(rows.map((row) => row.remoteId)).toEqual([created.remoteId])
      expect(again.writes().map((write) => write.op)).toEqual(['create'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
