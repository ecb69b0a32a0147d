import { describe, expect, it } from 'vitest'
import type { RemoteSyncStatus } from '../../src/shared/contract'
import { overallProgress, summarize } from '../../src/renderer/src/features/sync/sync-summary'

const status = (patch: Partial<RemoteSyncStatus>): RemoteSyncStatus => ({
  remoteId: 'r1',
  name: 'One',
  pending: 0,
  failed: 0,
  conflicts: 0,
  running: false,
  lastSuccessAt: '2026-11-30T10:00:00.000Z',
  lastAttemptAt: '2026-11-30T10:00:00.000Z',
  lastError: null,
  nextAttemptAt: null,
  stopped: [],
  ...patch,
})

describe("the header's sync summary", () => {
  it('adds up every remote, and reports the stalest success so "synced" is never early', () => {
    const summary = summarize([
      status({ pending: 2, failed: 1, conflicts: 1, lastSuccessAt: '2026-11-30T10:05:00.000Z' }),
      status({
        remoteId: 'r2',
        name: 'Two',
        pending: 3,
        running: true,
        lastSuccessAt: '2026-11-30T09:00:00.000Z',
      }),
    ])
    expect(summary).toMatchObject({ remotes: 2, pending: 5, failed: 1, conflicts: 1, running: true })
    expect(summary.lastSuccessAt).toBe('2026-11-30T09:00:00.000Z')
    expect(summary.neverSynced).toBe(false)
  })

  it('says never synced while any remote has not been, and names the first failing remote', () => {
    const error = {
      code: 'REMOTE_UNAVAILABLE' as const,
      message: 'Nothing is listening there.',
      failure: 'refused' as const,
      status: null,
      at: '2026-11-30T10:00:00.000Z',
    }
    const summary = summarize([
      status({}),
      status({ remoteId: 'r2', name: 'Two', lastSuccessAt: null, lastError: error }),
    ])
    expect(summary.neverSynced).toBe(true)
    expect(summary.error).toEqual({
      remoteName: 'Two',
      message: 'Nothing is listening there.',
      failure: 'refused',
    })
  })

  it('fills one bar from every running remote, and has no total while any pull has not learnt its own', () => {
    expect(
      overallProgress({
        r1: { phase: 'push', done: 3, total: 10 },
        r2: { phase: 'push', done: 1, total: 2 },
      }),
    ).toEqual({ done: 4, total: 12 })
    expect(
      overallProgress({
        r1: { phase: 'push', done: 3, total: 10 },
        r2: { phase: 'pull', done: 50, total: null },
      }),
    ).toEqual({ done: 53, total: null })
  })
})
