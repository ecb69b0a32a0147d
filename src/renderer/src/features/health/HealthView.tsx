import type { ReactNode } from 'react'
import type { HealthConnectionRef, HealthSummary } from '../../../../shared/contract'
import { pieceLabel } from '../connections/format'
import { useNavigationStore } from '../navigation/navigation-store'
import { ExpiryTimeline } from './ExpiryTimeline'
import { useHealthStore } from './health-store'
import { openConnection } from './open-connection'
import './health.css'

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** "in 3 hours", "2 days ago": how far a moment is from main's now. */
function relative(iso: string, nowIso: string): string {
  const ms = Date.parse(iso) - Date.parse(nowIso)
  const hours = Math.round(Math.abs(ms) / 3_600_000)
  const text =
    hours < 1
      ? 'less than an hour'
      : hours < 48
        ? `${hours} ${hours === 1 ? 'hour' : 'hours'}`
        : `${Math.round(hours / 24)} days`
  return ms >= 0 ? `in ${text}` : `${text} ago`
}

/** What needs attention, in one place: each section says what is wrong and what to do about it. */
export function HealthView() {
  const summary = useHealthStore((s) => s.summary)
  const error = useHealthStore((s) => s.error)
  return (
    <section className="view health-view" aria-labelledby="health-title">
      <h2 id="health-title">Health</h2>
      {error ? (
        <p role="alert" className="error">
          {error.message}
        </p>
      ) : null}
      {!summary ? (
        <p aria-busy="true">Checking the vault…</p>
      ) : (
        <>
          <p className="health-lead" role="status">
            {summary.attention === 0
              ? 'Nothing needs attention.'
              : `${summary.attention} ${summary.attention === 1 ? 'thing needs' : 'things need'} attention.`}{' '}
            Tokens count as expiring soon{' '}
            {summary.expiringSoonDays === 1 ? 'within a day' : `within ${summary.expiringSoonDays} days`}{' '}
            (change it in Account).
          </p>
          <ExpiryTimeline timeline={summary.timeline} soonDays={summary.expiringSoonDays} />
          <Errors summary={summary} />
          <Expiries summary={summary} />
          <RefreshFailures summary={summary} />
          <Missing summary={summary} />
          <SyncSection summary={summary} />
        </>
      )}
    </section>
  )
}

function Section({
  id,
  title,
  count,
  shown,
  empty,
  why,
  children,
}: {
  id: string
  title: string
  count: number
  shown: number
  empty: string
  why: string
  children: ReactNode
}) {
  return (
    <section className="health-section" aria-labelledby={`health-${id}`}>
      <h3 id={`health-${id}`}>
        {title} <span className="health-count">{count}</span>
      </h3>
      {count === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <>
          <p className="muted">{why}</p>
          <ul className="health-list">{children}</ul>
          {count > shown ? (
            <p className="muted">And {count - shown} more; the Connections view lists them all.</p>
          ) : null}
        </>
      )}
    </section>
  )
}

function Name({ connection }: { connection: HealthConnectionRef }) {
  return (
    <button type="button" className="link-button" onClick={() => openConnection(connection)}>
      {connection.displayName}
      <span className="muted"> · {pieceLabel(connection.pieceName)}</span>
    </button>
  )
}

/** One connection in a section: its name (which opens it), then what is wrong with it. */
function Row({
  connection,
  badge,
  children,
}: {
  connection: HealthConnectionRef
  badge?: ReactNode
  children: ReactNode
}) {
  return (
    <li>
      <Name connection={connection} />
      {badge}
      <span className="health-reason">{children}</span>
    </li>
  )
}

function Errors({ summary }: { summary: HealthSummary }) {
  return (
    <Section
      id="errors"
      title="Connections in error"
      count={summary.counts.errors}
      shown={summary.errors.length}
      empty="No connection is in error."
      why="Their provider refused them: sign in again or enter new credentials (Rotate)."
    >
      {summary.errors.map((connection) => (
        <Row key={connection.id} connection={connection}>
          {connection.reason ?? 'No reason was given.'}
        </Row>
      ))}
    </Section>
  )
}

function Expiries({ summary }: { summary: HealthSummary }) {
  const rows = [
    ...summary.expired.map((token) => ({ token, expired: true })),
    ...summary.expiring.map((token) => ({ token, expired: false })),
  ]
  return (
    <Section
      id="expiries"
      title="Tokens expired or expiring soon"
      count={summary.counts.expired + summary.counts.expiring}
      shown={rows.length}
      empty="No token has expired or expires soon."
      why="Latchkey renews tokens that have a refresh token by itself; the others need a sign-in."
    >
      {rows.map(({ token, expired }) => (
        <Row
          key={token.id}
          connection={token}
          badge={
            <span className={expired ? 'badge badge-bad' : 'badge badge-warn'}>
              {expired ? 'Expired' : 'Expiring'}
            </span>
          }
        >
          {expired ? 'Expired' : 'Expires'} {relative(token.expiresAt, summary.now)} ({when(token.expiresAt)}
          ). {token.canRefresh ? 'Latchkey will renew it.' : 'It cannot be renewed without signing in again.'}
        </Row>
      ))}
    </Section>
  )
}

function RefreshFailures({ summary }: { summary: HealthSummary }) {
  return (
    <Section
      id="refresh"
      title="Refresh failures"
      count={summary.counts.refreshFailures}
      shown={summary.refreshFailures.length}
      empty="Every token refresh is going through."
      why="Latchkey keeps retrying network failures with backoff; a refusal needs a sign-in."
    >
      {summary.refreshFailures.map((failure) => (
        <Row key={failure.id} connection={failure}>
          {failure.reason ?? 'Failed'} · {failure.attempts} {failure.attempts === 1 ? 'attempt' : 'attempts'}{' '}
          · last {relative(failure.failedAt, summary.now)}
        </Row>
      ))}
    </Section>
  )
}

function Missing({ summary }: { summary: HealthSummary }) {
  return (
    <Section
      id="missing"
      title="Missing connections"
      count={summary.counts.missing}
      shown={summary.missing.length}
      empty="No flow is waiting on a missing connection."
      why="Flows reference these, but their credentials are gone: give them credentials again (Rotate), or move the flows (Replace)."
    >
      {summary.missing.map((placeholder) => (
        <Row key={placeholder.id} connection={placeholder}>
          {placeholder.flowCount === 0
            ? 'No flow waits on it.'
            : `${placeholder.flowCount} ${placeholder.flowCount === 1 ? 'flow waits' : 'flows wait'} on it: ${placeholder.flows
                .map((flow) => `${flow.flowName ?? flow.flowId}${flow.active ? '' : ' (inactive)'}`)
                .join(', ')}${placeholder.flowCount > placeholder.flows.length ? ', …' : ''}`}
        </Row>
      ))}
    </Section>
  )
}

function SyncSection({ summary }: { summary: HealthSummary }) {
  const go = useNavigationStore((s) => s.go)
  const { sync } = summary
  return (
    <section className="health-section" aria-labelledby="health-sync">
      <h3 id="health-sync">Sync</h3>
      {!sync.available ? (
        <p className="muted">{sync.reason}</p>
      ) : (
        <>
          <p>
            {sync.pending} {sync.pending === 1 ? 'change waits' : 'changes wait'} to be sent to {sync.remotes}{' '}
            {sync.remotes === 1 ? 'remote' : 'remotes'}; {sync.failed} refused; {sync.conflicts.length}{' '}
            {sync.conflicts.length === 1 ? 'conflict' : 'conflicts'}.
          </p>
          {sync.conflicts.length > 0 ? (
            <ul className="health-list">
              {sync.conflicts.map((conflict) => (
                <li key={`${conflict.connectionId}`}>
                  {conflict.displayName}{' '}
                  <span className="muted">changed here and on {conflict.remoteName}</span>
                </li>
              ))}
            </ul>
          ) : null}
          <button type="button" onClick={() => go('sync')}>
            Open Sync
          </button>
        </>
      )}
    </section>
  )
}
