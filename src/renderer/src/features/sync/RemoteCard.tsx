import { useId, useState } from 'react'
import type { Remote, RemoteSyncStatus, RemoteTestResult } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { agoText, formatDate, relativeTime } from '../connections/format'
import { DIALECT_LABELS, failureAdvice } from './failure-words'
import { progressText } from './progress-text'
import { TestResult } from './TestResult'
import { useSyncStore } from './sync-store'

const OPERATION_WORDS = { upsert: 'save', update: 'rename', delete: 'delete', replace: 'replace' } as const

function StatusLines({ status, now }: { status: RemoteSyncStatus | undefined; now: number }) {
  if (!status) return <p className="muted small">Not synced yet.</p>
  return (
    <dl className="sync-facts">
      <div>
        <dt>Waiting to go out</dt>
        <dd>{status.pending.toLocaleString()}</dd>
      </div>
      <div>
        <dt>Refused by the remote</dt>
        <dd>{status.failed.toLocaleString()}</dd>
      </div>
      <div>
        <dt>Conflicts</dt>
        <dd>{status.conflicts.toLocaleString()}</dd>
      </div>
      <div>
        <dt>Last synced</dt>
        <dd title={formatDate(status.lastSuccessAt)}>
          {status.lastSuccessAt ? agoText(status.lastSuccessAt, now) : 'never'}
        </dd>
      </div>
      {status.nextAttemptAt ? (
        <div>
          <dt>Next try</dt>
          <dd title={formatDate(status.nextAttemptAt)}>
            {Date.parse(status.nextAttemptAt) <= now + 1000 ? 'now' : relativeTime(status.nextAttemptAt, now)}
          </dd>
        </div>
      ) : null}
    </dl>
  )
}

/**
 * One remote: where it is, how its sync stands (waiting, refused, conflicts, last success, the
 * next automatic try), the last error with what to check, and its actions.
 */
export function RemoteCard({
  remote,
  status,
  now,
  onEdit,
  onRemove,
}: {
  remote: Remote
  status: RemoteSyncStatus | undefined
  now: number
  onEdit(): void
  onRemove(): void
}) {
  const headingId = useId()
  const progress = useSyncStore((s) => s.progress[remote.id])
  const run = useSyncStore((s) => s.run)
  const cancel = useSyncStore((s) => s.cancel)
  const [testing, setTesting] = useState(false)
  const [tested, setTested] = useState<RemoteTestResult | null>(null)
  const [testError, setTestError] = useState<string | null>(null)
  const advice = failureAdvice(status?.lastError?.failure ?? null)

  async function test() {
    setTesting(true)
    setTested(null)
    setTestError(null)
    try {
      setTested(await api().remotes.test({ id: remote.id }))
    } catch (failure) {
      handleLockedError(failure)
      setTestError(asAppError(failure).params.message)
    } finally {
      setTesting(false)
    }
  }

  return (
    <section className="remote-card" aria-labelledby={headingId} data-remote={remote.id}>
      <header className="remote-card-head">
        <h4 id={headingId}>{remote.name}</h4>
        <span className="muted small">
          {DIALECT_LABELS[remote.dialect]} · <span className="mono">{remote.baseUrl}</span>
          {remote.projectId ? ` · project ${remote.projectId}` : ''}
          {remote.orgId ? ` · organisation ${remote.orgId}` : ''} · {remote.connectionCount.toLocaleString()}{' '}
          {remote.connectionCount === 1 ? 'connection' : 'connections'}
        </span>
      </header>
      <StatusLines status={status} now={now} />
      {status?.lastError ? (
        <div className="sync-test sync-test-failed" data-failure={status.lastError.failure ?? undefined}>
          <strong>Last sync failed:</strong> {status.lastError.message}
          {advice ? <p className="small">{advice}</p> : null}
        </div>
      ) : null}
      {status && status.stopped.length > 0 ? (
        <div className="sync-stopped">
          <h5>Changes the remote refused</h5>
          <p className="muted small">Each waits for you to change the connection again; the others go on.</p>
          <ul className="plain-list">
            {status.stopped.map((entry) => (
              <li key={`${entry.connectionId}-${entry.operation}`}>
                “{entry.displayName}” ({OPERATION_WORDS[entry.operation]}): {entry.error.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {status?.running ? (
        <div className="sync-running">
          <span role="status">{progressText(progress, progress?.done ?? 0, progress?.total ?? null)}</span>
          <progress
            className="sync-progress"
            aria-label={`Sync progress of ${remote.name}`}
            max={progress?.total ?? undefined}
            value={progress?.total == null ? undefined : progress.done}
          />
        </div>
      ) : null}
      <div className="button-row">
        {status?.running ? (
          <button type="button" onClick={() => void cancel(remote.id)}>
            Cancel sync
          </button>
        ) : (
          <button type="button" onClick={() => void run(remote.id)}>
            Sync now
          </button>
        )}
        <button type="button" onClick={() => void test()} disabled={testing}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" onClick={onEdit}>
          Edit
        </button>
        <button type="button" className="danger" onClick={onRemove}>
          Remove
        </button>
      </div>
      {tested ? <TestResult result={tested} /> : null}
      {testError ? (
        <p className="form-error" role="alert">
          {testError}
        </p>
      ) : null}
    </section>
  )
}
