import { useState } from 'react'
import type { SyncConflict } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { handleLockedError } from '../../stores/vault-store'
import { SecretActions } from '../connections/SecretActions'
import { formatDate, metadataValueText, typeLabel } from '../connections/format'
import { toast } from '../toasts/toast-store'
import { useConnectionSyncStore } from './connection-sync-store'
import { useSyncStore } from './sync-store'

const STATUS_WORDS = { ACTIVE: 'Active', MISSING: 'Missing', ERROR: 'Error' } as const

const metadataText = (metadata: Record<string, unknown> | null) =>
  metadata && Object.keys(metadata).length > 0
    ? Object.entries(metadata)
        .map(([key, value]) => `${key}: ${metadataValueText(value)}`)
        .join('\n')
    : '—'

interface Row {
  label: string
  local: string
  /** null: the remote does not say (Weavz's list carries no type), which is no difference. */
  remote: string | null
}

/** Metadata only: the remote never returns a secret, and the local one stays behind Reveal. */
function rowsOf({ local, remote }: SyncConflict): Row[] {
  if (!remote) return []
  return [
    { label: 'Name', local: local.displayName, remote: remote.displayName },
    { label: 'Piece', local: local.pieceName, remote: remote.pieceName },
    { label: 'Type', local: typeLabel(local.type), remote: remote.type ? typeLabel(remote.type) : null },
    { label: 'Status', local: STATUS_WORDS[local.status], remote: STATUS_WORDS[remote.status] },
    {
      label: 'Projects',
      local: local.projectIds.join(', ') || '—',
      remote: remote.projectIds.join(', ') || '—',
    },
    { label: 'Flows', local: String(local.flowIds.length), remote: String(remote.flowIds.length) },
    { label: 'Metadata', local: metadataText(local.metadata), remote: metadataText(remote.metadata) },
    { label: 'Owner', local: local.owner?.email ?? '—', remote: remote.ownerEmail ?? '—' },
    { label: 'Last changed', local: formatDate(local.updated), remote: formatDate(remote.updated) },
  ]
}

/**
 * One conflict: the connection as it is here and as it is on the remote, side by side with the
 * differences marked, and the two ways out. Neither side is dropped until the person picks.
 */
export function ConflictCompare({ conflict, remoteName }: { conflict: SyncConflict; remoteName: string }) {
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const name = conflict.local.displayName
  const deleted = conflict.remote === null

  async function keep(side: 'local' | 'remote') {
    setBusy(true)
    setProblem(null)
    try {
      await api().sync.resolve({ connectionId: conflict.connectionId, keep: side })
      toast(
        side === 'local'
          ? `Kept this device's “${name}”; it goes to ${remoteName} with the next sync.`
          : deleted
            ? `Accepted that ${remoteName} deleted “${name}”; the copy here stays, flagged.`
            : `Kept ${remoteName}'s “${name}”; the secret here is unchanged.`,
      )
      useConnectionSyncStore.getState().forget([conflict.connectionId])
      useConnectionsQuery.getState().invalidate()
      await Promise.all([useSyncStore.getState().loadConflicts(), useSyncStore.getState().load()])
    } catch (failure) {
      handleLockedError(failure)
      setProblem(asAppError(failure).params.message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="conflict" aria-label={`Conflict: ${name}`} data-connection={conflict.connectionId}>
      <h4>{name}</h4>
      <p className="muted small">
        Changed here and on {remoteName} since the last sync (found {formatDate(conflict.detectedAt)}).
      </p>
      {deleted ? (
        <p className="sync-warning">
          {remoteName} deleted this connection while it was being changed here. Keeping this device's version
          creates it there again.
        </p>
      ) : (
        <table className="conflict-table">
          <caption className="sync-visually-hidden">Both versions of “{name}”</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">On this device</th>
              <th scope="col">On {remoteName}</th>
            </tr>
          </thead>
          <tbody>
            {rowsOf(conflict).map((row) => {
              const differs = row.remote !== null && row.local !== row.remote
              return (
                <tr key={row.label} className={differs ? 'differs' : undefined}>
                  <th scope="row">
                    {row.label}
                    {differs ? <span className="conflict-differs"> (differs)</span> : null}
                  </th>
                  <td>{row.local}</td>
                  <td>{row.remote ?? <span className="muted">Not said by the remote</span>}</td>
                </tr>
              )
            })}
            <tr>
              <th scope="row">Secret</th>
              <td>
                {conflict.local.hasValue
                  ? 'Kept here; reveal below (recorded in the audit trail).'
                  : 'Held by the remote; not on this device.'}
              </td>
              <td>Never returned by the server.</td>
            </tr>
          </tbody>
        </table>
      )}
      <SecretActions connection={conflict.local} />
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="button-row" role="group" aria-label={`Which version of “${name}” to keep`}>
        <button type="button" onClick={() => void keep('local')} disabled={busy}>
          Keep this device's version
        </button>
        <button type="button" onClick={() => void keep('remote')} disabled={busy}>
          {deleted ? `Accept the deletion (keep a local copy)` : `Keep ${remoteName}'s version`}
        </button>
      </div>
    </section>
  )
}
