import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AuditVerification } from '../../../src/shared/contract'
import { createUnlockedTestCore, openUnlockedVault } from '../../support/vault'
import { runChild } from './child-process'
import { readSecret } from './fixtures'

const ROUNDS = 20

describe('crash safety', () => {
  it(
    `keeps every committed write and a sound file across ${ROUNDS} SIGKILLs mid-write`,
    { timeout: 90_000 },
    async () => {
      const created = await createUnlockedTestCore()
      const dataDir = created.dataDir
      await created.core.close()
      const committed: string[] = []
      try {
        for (let round = 0; round < ROUNDS; round += 1) {
          const child = runChild('write-loop.ts', [dataDir])
          await child.waitFor((line) => line === 'ready')
          // Kill after a random number of commits, sometimes before the first, sometimes mid-batch.
          const target = Math.floor(Math.random() * 150)
          if (target > 0) await child.waitFor(() => child.lines.length > target)
          child.process.kill('SIGKILL')
          await child.exited
          committed.push(...child.lines.filter((line) => line.startsWith('conn_')))

          const reopened = await openUnlockedVault(dataDir)
          try {
            const db = reopened.session.db
            expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
            expect(await reopened.call<AuditVerification>('audit.verify')).toMatchObject({ ok: true })
            const present = new Set(
              (db.prepare('SELECT id FROM connections').all() as { id: string }[]).map((row) => row.id),
            )
            const missing = committed.filter((id) => !present.has(id))
            expect(missing, `round ${round}`).toEqual([])
            // every row that exists is whole: a value that opens, and its audit entry
            const values = db.prepare('SELECT COUNT(*) AS n FROM connection_values').get() as { n: number }
            const audits = db
              .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'connection.create'")
              .get() as { n: number }
            expect(values.n).toBe(present.size)
            expect(audits.n).toBe(present.size)
            const last = committed[committed.length - 1]
            if (last) expect(readSecret(reopened.session, last)).toMatch(/^sk-crash-/)
          } finally {
            await reopened.core.close()
          }
        }
        expect(committed.length).toBeGreaterThan(ROUNDS)
        const db = new Database(join(dataDir, 'vault.sqlite'), { readonly: true })
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
        db.close()
      } finally {
        rmSync(dataDir, { recursive: true, force: true })
      }
    },
  )
})
