import type { AppConnection, ConnectionSyncState } from '../../../../shared/contract'
import { useConnectionSyncState } from './connection-sync-store'
import './sync.css'

interface Flag {
  key: string
  label: string
  /** For the list row, where the status cell is narrow; the title there holds the whole sentence. */
  short: string
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
      short: 'Conflict',
      tone: 'warn',
      detail: 'Changed here and on the remote since the last sync; choose a version in Sync.',
    })
  if (state?.deletedOnRemote)
    flags.push({
      key: 'deleted',
      label: 'Deleted on the remote',
      short: 'Deleted on remote',
      tone: 'bad',
      detail: 'The remote no longer has it; the copy here is kept until you delete it.',
    })
  if (state?.error)
    flags.push({
      key: 'refused',
      label: 'Sync refused',
      short: 'Sync refused',
      tone: 'bad',
      detail: state.error.message,
    })
  if (state?.secretHeldRemotely)
    flags.push({
      key: 'held',
      label: 'Secret held remotely',
      short: 'Held remotely',
      tone: 'muted',
      detail: 'The remote keeps its secret and never returns it; there is nothing to reveal or copy here.',
    })
  return flags
}

/**
 * The list row's sync badge: the most urgent flag only, since the status cell is narrow; its title
 * names every flag, and the detail panel lists them in full. Nothing for a local-only connection.
 */
export function SyncBadges({ connection }: { connection: AppConnection }) {
  const state = useConnectionSyncState(connection)
  if (connection.remoteId === null) return null
  const flags = syncFlags(connection, state)
  const first = flags[0]
  if (!first) return null
  return (
    <span
      className={`badge badge-${first.tone} sync-badge`}
      data-sync={first.key}
      title={flags.map((flag) => `${flag.label}: ${flag.detail}`).join('\n')}
    >
      {first.short}
      {flags.length > 1 ? ` +${flags.length - 1}` : ''}
    </span>
  )
}
