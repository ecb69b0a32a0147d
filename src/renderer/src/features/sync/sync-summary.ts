import type { RemoteFailure, RemoteSyncStatus, SyncPhase } from '../../../../shared/contract'

export interface SyncProgress {
  phase: SyncPhase
  done: number
  /** null while a pull has not learnt how many rows there are. */
  total: number | null
}

/** What the header shows: every remote folded into one line. */
export interface SyncSummary {
  remotes: number
  pending: number
  failed: number
  conflicts: number
  running: boolean
  /** The stalest remote's last success: the header must not say "synced" for a remote that never was. */
  lastSuccessAt: string | null
  neverSynced: boolean
  /** The first remote whose last run failed, with its name. */
  error: { remoteName: string; message: string; failure: RemoteFailure | null } | null
}

export function summarize(statuses: RemoteSyncStatus[]): SyncSummary {
  let lastSuccessAt: string | null = null
  let neverSynced = false
  let error: SyncSummary['error'] = null
  for (const status of statuses) {
    if (status.lastSuccessAt === null) neverSynced = true
    else if (lastSuccessAt === null || status.lastSuccessAt < lastSuccessAt)
      lastSuccessAt = status.lastSuccessAt
    if (!error && status.lastError)
      error = {
        remoteName: status.name,
        message: status.lastError.message,
        failure: status.lastError.failure,
      }
  }
  return {
    remotes: statuses.length,
    pending: statuses.reduce((sum, s) => sum + s.pending, 0),
    failed: statuses.reduce((sum, s) => sum + s.failed, 0),
    conflicts: statuses.reduce((sum, s) => sum + s.conflicts, 0),
    running: statuses.some((s) => s.running),
    lastSuccessAt,
    neverSynced,
    error,
  }
}

/** Progress of every running remote as one bar: the sum of what is known, indeterminate otherwise. */
export function overallProgress(progress: Record<string, SyncProgress>): {
  done: number
  total: number | null
} {
  let done = 0
  let total: number | null = 0
  for (const item of Object.values(progress)) {
    done += item.done
    total = item.total === null || total === null ? null : total + item.total
  }
  return { done, total }
}
