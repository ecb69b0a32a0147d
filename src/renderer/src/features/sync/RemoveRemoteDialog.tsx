import { useEffect, useState } from 'react'
import type { Remote } from '../../../../shared/contract'
import { isAppError } from '../../../../shared/errors'
import { Modal } from '../../components/Modal'
import { api, asAppError } from '../../stores/api'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { useRemotesStore } from './remotes-store'
import { useSyncStore } from './sync-store'

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`

/**
 * Removing a remote never deletes a connection: its connections stay here, local-only. What it
 * can lose is the changes that never reached the remote, so those are counted first (read fresh
 * when the dialog opens) and only a button that names them discards them. If more arrive while
 * it is open, main refuses and the count here catches up.
 */
export function RemoveRemoteDialog({ remote, onClose }: { remote: Remote; onClose(): void }) {
  const [pending, setPending] = useState(remote.pendingCount)
  const [connections, setConnections] = useState(remote.connectionCount)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let current = true
    api()
      .remotes.list({})
      .then((remotes) => {
        const fresh = remotes.find((r) => r.id === remote.id)
        if (!current || !fresh) return
        setPending(fresh.pendingCount)
        setConnections(fresh.connectionCount)
      })
      .catch(handleLockedError)
    return () => {
      current = false
    }
  }, [remote.id])

  async function remove() {
    setBusy(true)
    setProblem(null)
    try {
      const done = await api().remotes.remove({ id: remote.id, discardPending: pending > 0 })
      toast(
        done.discardedChanges > 0
          ? `Removed “${remote.name}” and discarded ${count(done.discardedChanges, 'unsynced change', 'unsynced changes')}; ${count(done.detachedConnections, 'connection stays', 'connections stay')} here.`
          : `Removed “${remote.name}”; ${count(done.detachedConnections, 'connection stays', 'connections stay')} here, local-only.`,
      )
      useConnectionsQuery.getState().invalidate()
      await Promise.all([useRemotesStore.getState().load(), useSyncStore.getState().load()])
      onClose()
    } catch (failure) {
      handleLockedError(failure)
      const error = asAppError(failure)
      if (isAppError(error, 'CONFLICT') && typeof error.params.pendingChanges === 'number') {
        setPending(error.params.pendingChanges)
        setProblem(
          `${count(error.params.pendingChanges, 'change was', 'changes were')} made since this opened and ${error.params.pendingChanges === 1 ? 'has' : 'have'} not reached the remote either.`,
        )
      } else setProblem(error.params.message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal open onClose={onClose} title={`Remove “${remote.name}”?`} role="alertdialog">
      <div className="form">
        <p>
          {connections === 0
            ? 'No connection is bound to it.'
            : `Its ${count(connections, 'connection stays', 'connections stay')} on this device as local-only.`}{' '}
          Nothing is deleted on the remote.
        </p>
        {pending > 0 ? (
          <p className="sync-warning" role="note">
            <strong>{count(pending, 'change has', 'changes have')} not reached the remote yet.</strong>{' '}
            Removing it discards{' '}
            {pending === 1 ? 'that change from the queue' : 'those changes from the queue'}; the connections
            keep them here.
          </p>
        ) : null}
        {problem ? (
          <p className="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        <div className="button-row end">
          <button type="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>
            {pending > 0
              ? `Remove and discard ${count(pending, 'unsynced change', 'unsynced changes')}`
              : 'Remove remote'}
          </button>
        </div>
      </div>
    </Modal>
  )
}
