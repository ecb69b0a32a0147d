import type { AppConnection } from '../../../../shared/contract'
import type { RemoteSummary } from './useRemote'

interface Props {
  source: AppConnection
  remote: RemoteSummary | 'local' | 'unknown' | null
  deleteSource: boolean
  onDeleteSource(value: boolean): void
}

/**
 * Where the move goes after this vault, and which of Activepieces' replace options apply. A local
 * connection can be deleted once its flows are gone. On a remote, the two options
 * (deleteSourceConnection, applyToPublishedVersions) belong to the remote's own replace, and this
 * build's queued replace does not carry them yet, so they are shown as unavailable, not offered.
 */
export function ReplaceOptions({ source, remote, deleteSource, onDeleteSource }: Props) {
  if (remote === null) return <p className="muted small">Checking where “{source.displayName}” syncs…</p>
  if (remote === 'local') {
    return (
      <label className="checkbox">
        <input type="checkbox" checked={deleteSource} onChange={(e) => onDeleteSource(e.target.checked)} />
        Delete “{source.displayName}” and its secret once its flows have moved
      </label>
    )
  }
  const queued = (
    <p className="muted small">
      The move is saved in this vault at once and sent to {remote === 'unknown' ? 'its remote' : remote.name}{' '}
      with the next sync; while offline it waits in the queue.
    </p>
  )
  if (remote !== 'unknown' && remote.dialect === 'activepieces') {
    return (
      <fieldset className="replace-remote-options" disabled>
        <legend>Activepieces options</legend>
        <label className="checkbox">
          <input type="checkbox" checked={false} readOnly /> Delete the source on the remote afterwards
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={false} readOnly /> Also update published flow versions
        </label>
        <p className="muted small">
          Not available yet: Latchkey sends the replace with both off, so the remote keeps the source and
          rewrites flow drafts only. Publish the flows on the remote to put the change live.
        </p>
        {queued}
      </fieldset>
    )
  }
  if (remote !== 'unknown' && remote.dialect === 'weavz') {
    return (
      <>
        <p className="notice small">
          Weavz has no replace of its own, so its remote cannot follow this move: the flows move in this vault
          only.
        </p>
        {queued}
      </>
    )
  }
  return (
    <>
      <p className="muted small">
        This build cannot tell what the remote supports, so no remote option is offered.
      </p>
      {queued}
    </>
  )
}
