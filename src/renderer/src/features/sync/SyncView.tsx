import { useEffect, useState } from 'react'
import type { Remote } from '../../../../shared/contract'
import { useNow } from '../connections/useNow'
import { ConflictCompare } from './ConflictCompare'
import { RemoteCard } from './RemoteCard'
import { RemoteDialog } from './RemoteDialog'
import { RemoveRemoteDialog } from './RemoveRemoteDialog'
import { remotesSelectors, useRemotesStore } from './remotes-store'
import { useSyncStore } from './sync-store'
import { summarize } from './sync-summary'
import './sync.css'

type Editing =
  { kind: 'none' } | { kind: 'add' } | { kind: 'edit'; remote: Remote } | { kind: 'remove'; remote: Remote }

function Conflicts() {
  const conflicts = useSyncStore((s) => s.conflicts)
  const remotes = useRemotesStore(remotesSelectors.remotes)
  const nameOf = (id: string) => remotes?.find((remote) => remote.id === id)?.name ?? 'the remote'
  if (conflicts === null) return <p className="muted">Reading conflicts…</p>
  if (conflicts.length === 0)
    return (
      <p className="muted">
        No conflicts. When a connection changes here and on a remote between two syncs, both versions wait
        here for you to choose.
      </p>
    )
  return (
    <div className="conflicts">
      {conflicts.map((conflict) => (
        <ConflictCompare
          key={conflict.connectionId}
          conflict={conflict}
          remoteName={nameOf(conflict.remoteId)}
        />
      ))}
    </div>
  )
}

/**
 * Everything about sync in one place, where a 1Password or Bitwarden user looks for accounts: the
 * remotes (add, test, edit, remove) with how each one's sync stands, and the conflicts to settle.
 */
export function SyncView() {
  const remotes = useRemotesStore(remotesSelectors.remotes)
  const loadError = useRemotesStore((s) => s.error)
  const statuses = useSyncStore((s) => s.statuses)
  const [editing, setEditing] = useState<Editing>({ kind: 'none' })
  const now = useNow(15_000)
  const close = () => setEditing({ kind: 'none' })
  const conflictCount = summarize(statuses).conflicts

  useEffect(() => {
    void useRemotesStore.getState().load()
    void useSyncStore.getState().load()
    void useSyncStore.getState().loadConflicts()
    // Conflicts are re-read on status changes only while someone is looking at them.
    return () => useSyncStore.setState({ conflicts: null })
  }, [])

  return (
    <div className="sync-view">
      <header className="sync-view-head">
        <h2>Sync</h2>
        <button type="button" className="primary" onClick={() => setEditing({ kind: 'add' })}>
          Add remote
        </button>
      </header>
      <p className="muted">
        A remote is a team’s shared Activepieces project or Weavz organisation. Changes to its connections are
        saved here first and sent when it answers, so you can work offline; nothing is lost while it is away.
      </p>
      <section aria-labelledby="sync-remotes-heading">
        <h3 id="sync-remotes-heading" className="sync-section-title">
          Remotes
        </h3>
        {loadError ? (
          <p className="form-error" role="alert">
            {loadError.params.message}
          </p>
        ) : null}
        {remotes === null ? (
          <p className="muted">Reading remotes…</p>
        ) : remotes.length === 0 ? (
          <p className="muted">
            No remote yet. Add one to share connections with a team; until then everything stays on this
            device.
          </p>
        ) : (
          remotes.map((remote) => (
            <RemoteCard
              key={remote.id}
              remote={remote}
              status={statuses.find((s) => s.remoteId === remote.id)}
              now={now}
              onEdit={() => setEditing({ kind: 'edit', remote })}
              onRemove={() => setEditing({ kind: 'remove', remote })}
            />
          ))
        )}
      </section>
      <section aria-labelledby="sync-conflicts-heading">
        <h3 id="sync-conflicts-heading" className="sync-section-title">
          Conflicts{conflictCount > 0 ? ` (${conflictCount})` : ''}
        </h3>
        <Conflicts />
      </section>
      {editing.kind === 'add' ? <RemoteDialog remote={null} onClose={close} /> : null}
      {editing.kind === 'edit' ? <RemoteDialog remote={editing.remote} onClose={close} /> : null}
      {editing.kind === 'remove' ? <RemoveRemoteDialog remote={editing.remote} onClose={close} /> : null}
    </div>
  )
}

/** The sidebar's count beside Sync: conflicts to settle and changes the remote refused. */
export function useSyncBadge(): number | null {
  return useSyncStore((s) => s.statuses.reduce((sum, status) => sum + status.conflicts + status.failed, 0))
}
