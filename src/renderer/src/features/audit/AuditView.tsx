import { useState } from 'react'
import type { AppConnection, AuditEntry } from '../../../../shared/contract'
import { ConnectionPicker } from '../replace/ConnectionPicker'
import { ACTION_WORDS, actionWords } from './action-words'
import { NO_FILTERS, useAuditPage, type AuditFilters } from './useAuditPage'
import { VerifyPanel } from './VerifyPanel'

const PAGE_SIZE = 50

/** "displayName: Stripe live · movedFlowReferences: 3": details hold ids, names and counts, never secrets. */
function detailsText(details: AuditEntry['details']): string {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(' · ')
}

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

/** The whole audit log, newest first: filtered by action, connection and time, a page at a time. */
export function AuditView() {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS)
  const [connection, setConnection] = useState<AppConnection | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const { page, error } = useAuditPage(filters, cursor, PAGE_SIZE)

  function change(patch: Partial<AuditFilters>) {
    setFilters((f) => ({ ...f, ...patch }))
    setCursor(null)
  }

  return (
    <section className="view audit-view" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p>
        Everything that happened in this vault: unlocks, every secret revealed or copied, every change.
        Secrets themselves are never written here.
      </p>
      <VerifyPanel />
      <form className="audit-filters" aria-label="Audit filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Action
          <select value={filters.action} onChange={(e) => change({ action: e.target.value })}>
            <option value="">Any action</option>
            {Object.entries(ACTION_WORDS).map(([action, words]) => (
              <option key={action} value={action}>
                {words}
              </option>
            ))}
          </select>
        </label>
        <ConnectionPicker
          label="Connection"
          filter={{}}
          chosen={connection}
          onChoose={(chosen) => {
            setConnection(chosen)
            change({ connectionId: chosen?.id ?? null })
          }}
          emptyText="There are no connections."
        />
        <label>
          From
          <input
            type="datetime-local"
            value={filters.since}
            onChange={(e) => change({ since: e.target.value })}
          />
        </label>
        <label>
          Until
          <input
            type="datetime-local"
            value={filters.until}
            onChange={(e) => change({ until: e.target.value })}
          />
        </label>
        <button
          type="button"
          onClick={() => {
            setConnection(null)
            change(NO_FILTERS)
          }}
        >
          Clear filters
        </button>
      </form>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {page === null && !error ? <p className="muted">Loading the log…</p> : null}
      {page && page.data.length === 0 ? (
        <p className="muted" role="status">
          No entry matches these filters.
        </p>
      ) : null}
      {page && page.data.length > 0 ? (
        <table className="audit-table" aria-label="Audit entries">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Details</th>
              <th scope="col">Through</th>
            </tr>
          </thead>
          <tbody>
            {page.data.map((entry) => (
              <tr key={entry.seq}>
                <td className="muted">{entry.seq}</td>
                <td>{when(entry.at)}</td>
                <td>{actionWords(entry.action)}</td>
                <td className="audit-details">{detailsText(entry.details)}</td>
                <td className="muted">{entry.origin}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="button-row">
        <button type="button" disabled={!page?.previous} onClick={() => setCursor(page?.previous ?? null)}>
          Newer
        </button>
        <button type="button" disabled={!page?.next} onClick={() => setCursor(page?.next ?? null)}>
          Older
        </button>
      </div>
    </section>
  )
}
