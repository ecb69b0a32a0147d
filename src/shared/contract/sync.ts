import { z } from 'zod'
import type { AppConnection, ConnectionStatus, ConnectionType } from './connections'
import { event, procedure } from './define'
import type { RemoteFailure } from './remotes'
import type { ErrorCode } from '../errors'

// Offline first: every change to a synced connection is an outbox entry written with the change;
// sync pushes the outbox, then pulls the remote's state. Nothing here ever carries a secret.

export const SYNC_PHASES = ['push', 'pull'] as const
export type SyncPhase = (typeof SYNC_PHASES)[number]

/** A failure as the UI shows it: the contract's code, a sentence, and the network cause when known. */
export interface SyncFailure {
  code: ErrorCode
  message: string
  failure: RemoteFailure | null
  status: number | null
  at: string
}

/** An outbox entry the remote refused (a 4xx other than 408/429): it waits for an edit, others go on. */
export interface StoppedEntry {
  connectionId: string
  displayName: string
  operation: 'upsert' | 'update' | 'delete' | 'replace'
  error: SyncFailure
}

export interface RemoteSyncStatus {
  remoteId: string
  name: string
  /** Outbox entries waiting (stopped ones included). */
  pending: number
  /** Entries the remote refused; see `stopped`. */
  failed: number
  conflicts: number
  running: boolean
  lastSuccessAt: string | null
  lastAttemptAt: string | null
  /** The last run's failure, cleared by a run that succeeds. */
  lastError: SyncFailure | null
  /** When the automatic sync tries again (backoff, or a 429's Retry-After); null when idle. */
  nextAttemptAt: string | null
  /** At most 50, oldest first. */
  stopped: StoppedEntry[]
}

/** The remote's version of a connection, as pulled: metadata only, the remote never returns secrets. */
export interface RemoteVersion {
  remoteConnectionId: string
  externalId: string
  displayName: string
  pieceName: string
  /** null: the remote does not say (Weavz's list carries no type). */
  type: ConnectionType | null
  status: ConnectionStatus
  projectIds: string[]
  flowIds: string[]
  metadata: Record<string, unknown> | null
  ownerEmail: string | null
  updated: string
}

export interface SyncConflict {
  connectionId: string
  remoteId: string
  local: AppConnection
  /** null: the remote deleted it while it was changed here. */
  remote: RemoteVersion | null
  detectedAt: string
}

/** What sync knows about one connection, beyond its syncState: for the list's badges and the detail panel. */
export interface ConnectionSyncState {
  connectionId: string
  remoteConnectionId: string | null
  /** Pulled from the remote, which never returns a secret: reveal and copy have nothing to show. */
  secretHeldRemotely: boolean
  /** The remote no longer has it; the local copy is kept until someone deletes it here. */
  deletedOnRemote: boolean
  conflict: boolean
  lastSyncedAt: string | null
  /** This connection's outbox entry the remote refused, if any. */
  error: SyncFailure | null
}

export interface SyncRunSummary {
  remoteId: string
  pushed: number
  pulled: number
  conflicts: number
  failed: number
  cancelled: boolean
  error: SyncFailure | null
}

const id = z.string().min(1).max(200)

export const syncProcedures = {
  /** Runs now (every remote, or one) and answers when done; progress arrives as sync.progress. */
  'sync.run': procedure(z.object({ remoteId: id.optional() }).strict()).returns<SyncRunSummary[]>(),
  /** Stops a running sync between two writes; what was pushed stays pushed, the rest waits. */
  'sync.cancel': procedure(z.object({ remoteId: id.optional() }).strict()).returns<{ cancelled: number }>(),
  'sync.status': procedure(z.object({}).strict()).returns<RemoteSyncStatus[]>(),
  'sync.conflicts': procedure(z.object({ remoteId: id.optional() }).strict()).returns<SyncConflict[]>(),
  /**
   * keep 'local': the local version is pushed over the remote's. keep 'remote': the local row takes
   * the remote's fields (its secret, which the remote never returns, stays as it is here).
   */
  'sync.resolve': procedure(
    z.object({ connectionId: id, keep: z.enum(['local', 'remote']) }).strict(),
  ).returns<AppConnection>(),
  /** For the visible rows' badges: at most 200 ids; unknown ids are left out. */
  'sync.connectionStates': procedure(z.object({ ids: z.array(id).max(200) }).strict()).returns<
    ConnectionSyncState[]
  >(),
}

export const syncEvents = {
  /** total null: not known yet (a pull learns it page by page). */
  'sync.progress': event<{ remoteId: string; phase: SyncPhase; done: number; total: number | null }>(),
  'sync.statusChanged': event<RemoteSyncStatus>(),
}
