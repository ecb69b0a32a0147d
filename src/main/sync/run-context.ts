import type { SyncPhase } from '../../shared/contract/sync'
import type { WithVault } from '../vault/repository-access'
import type { RemoteClient } from './dialects/remote-client'
import { RemoteError } from './dialects/remote-error'
import type { SyncRepository } from './sync-repository'

/** What one remote's run works with: its client, the vault, and where it reports. */
export interface RunContext {
  remoteId: string
  client: RemoteClient
  signal: AbortSignal
  /** Synchronous work against the unlocked vault; wrap writes in session.transaction. */
  withVault: WithVault<SyncRepository>
  now(): number
  newConnectionId(nowMs: number): string
  progress(phase: SyncPhase, done: number, total: number | null): void
  /** After a commit: which connections changed, for connections.changed. */
  changed(ids: string[], kind: 'created' | 'updated' | 'deleted'): void
}

/** Between two steps: a cancelled run stops before its next write, never in the middle of one. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new RemoteError({
      kind: 'cancelled',
      appCode: 'REMOTE_UNAVAILABLE',
      message: 'Sync was cancelled.',
    })
  }
}
