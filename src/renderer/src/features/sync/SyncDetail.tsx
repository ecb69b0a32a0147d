import type { AppConnection, SyncState } from '../../../../shared/contract'
import { formatDate } from '../connections/format'
import { useNavigationStore } from '../navigation/navigation-store'
import { useConnectionSyncState } from './connection-sync-store'
import { remotesSelectors, useRemotesStore } from './remotes-store'
import { syncFlags } from './SyncBadges'
import { SYNC_VIEW } from './view-id'

const STATE_WORDS: Record<SyncState, (remote: string) => string> = {
  LOCAL: () => 'Local only',
  SYNCED: (remote) => `In sync with ${remote}`,
  PENDING: (remote) => `Changed here; goes to ${remote} with the next sync`,
  CONFLICT: (remote) => `In conflict with ${remote}`,
}

/** The detail panel's Sync line: which remote, how it stands, and each flag with its meaning in full. */
export function SyncDetail({ connection }: { connection: AppConnection }) {
  const state = useConnectionSyncState(connection)
  const remoteName = useRemotesStore(remotesSelectors.nameOf(connection.remoteId ?? ''))
  const go = useNavigationStore((s) => s.go)
  if (connection.remoteId === null) return <>Local only</>
  const flags = syncFlags(connection, state)
  return (
    <div className="sync-detail">
      <span>
        {state?.deletedOnRemote
          ? `No longer on ${remoteName}; kept here`
          : STATE_WORDS[connection.syncState](remoteName)}
        {state?.lastSyncedAt ? (
          <span className="muted small"> · last synced {formatDate(state.lastSyncedAt)}</span>
        ) : null}
      </span>
      {flags.length > 0 ? (
        <ul className="plain-list sync-flags">
          {flags.map((flag) => (
            <li key={flag.key}>
              <span className={`badge badge-${flag.tone}`} data-sync={flag.key}>
                {flag.label}
              </span>{' '}
              <span className="small">{flag.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {flags.some((flag) => flag.key === 'conflict') ? (
        <button type="button" onClick={() => go(SYNC_VIEW)}>
          Choose a version…
        </button>
      ) : null}
    </div>
  )
}
