import type { AppConnection, ConnectionSyncState } from '../../../../shared/contract'
import { useConnectionSyncState } from './connection-sync-store'
import './sync.css'

interface Flag {
  key: string
  label: string
  tone: 'warn' | 'bad' | 'muted'
  detail: string
}

/** What is worth a badge about a synced connection, most urgent first. */
export function syncFlags(connection: AppConnection, state: ConnectionSyncState | null | undefined): Flag[] {
  const flags: Flag[] = []
  if (connection.syncState === 'CONFLICT' || state?.conflict)
    flags.push({
      key: 'conflict',
      label: 'Conflict',
      tone: 'warn',
      detail: 'Changed here and on the remote since the last sync; choose a version in Sync.',
    })
  if (state?.deletedOnRemote)
    flags.push({
      key: 'deleted',
      label: 'Deleted on the remote',
      tone: 'bad',
      detail: 'The remote no longer has it; the copy here is kept until you delete it.',
    })
  if (state?.error)
    flags.push({ key: 'refused', label: 'Sync refused', tone: 'bad', detail: state.error.message })
  if (state?.secretHeldRemotely)
    flags.push({
      key: 'held',
      label: 'Secret held remotely',
      tone: 'muted',
      detail: 'The remote keeps its secret and never returns it; there is nothing to reveal or copy here.',
    })
  return flags
}

/** Badges for the list row and the detail panel; nothing at all for a local-only connection. */
export function SyncBadges({ connection }: { connection: AppConnection }) {
  const state = useConnectionSyncState(connection)
  if (connection.remoteId === null) return null
  const flags = syncFlags(connection, state)
  if (flags.length === 0) return null
  return (
    <span className="sync-badges">
      {flags.map((flag) => (
        <span key={flag.key} className={`badge badge-${flag.tone}`} data-sync={flag.key} title={flag.detail}>
          {flag.label}
        </span>
      ))}
    </span>
  )
}
