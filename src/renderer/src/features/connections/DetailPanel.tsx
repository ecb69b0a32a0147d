import type { AppConnection, AuditEntry, FlowReference } from '../../../../shared/contract'
import { useSelectionStore } from '../../stores/selection-store'
import { useUiStore } from '../../stores/ui-store'
import { TokenHealth } from '../oauth/TokenHealth'
import { SyncDetail } from '../sync/SyncDetail'
import { needsCredentials, rotateLabel } from './RotateDialog'
import { SecretActions } from './SecretActions'
import { StatusBadge } from './StatusBadge'
import { expiryText, formatDate, metadataValueText, ownerText, typeLabel } from './format'
import { useConnectionDetail } from './useConnectionDetail'
import { useNow } from './useNow'

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="kv">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function Metadata({ connection }: { connection: AppConnection }) {
  const now = useNow()
  const health = connection.health
  return (
    <dl className="details">
      <Field label="Status">
        <StatusBadge connection={connection} />
      </Field>
      <Field label="Type">{typeLabel(connection.type)}</Field>
      <Field label="Piece">
        {connection.pieceName}
        {connection.pieceVersion ? ` ${connection.pieceVersion}` : ''}
      </Field>
      <Field label="External id">
        <span className="mono">{connection.externalId}</span>
      </Field>
      <Field label="Scope">{connection.scope === 'PLATFORM' ? 'Platform' : 'Project'}</Field>
      <Field label="Projects">{connection.projectIds.join(', ') || '—'}</Field>
      {connection.scope === 'PLATFORM' ? (
        <Field label="Pre-selected for new projects">
          {connection.preSelectForNewProjects ? 'Yes' : 'No'}
        </Field>
      ) : null}
      <Field label="Owner">
        {ownerText(connection)}
        {connection.owner?.email ? ` <${connection.owner.email}>` : ''}
      </Field>
      <Field label="Sync">
        <SyncDetail connection={connection} />
      </Field>
      {health.tokenExpiresAt && connection.type !== 'OAUTH2' ? (
        <Field label="Token">
          {expiryText(connection, now) ?? '—'} ({formatDate(health.tokenExpiresAt)})
        </Field>
      ) : null}
      {health.lastRefreshFailureAt && connection.type !== 'OAUTH2' ? (
        <Field label="Last refresh failure">
          {formatDate(health.lastRefreshFailureAt)}: {health.lastRefreshFailureReason ?? 'unknown reason'}
        </Field>
      ) : null}
      <Field label="Last rotated">{formatDate(health.lastRotatedAt)}</Field>
      <Field label="Last used">{formatDate(health.lastUsedAt)}</Field>
      <Field label="Created">{formatDate(connection.created)}</Field>
      <Field label="Updated">{formatDate(connection.updated)}</Field>
      <Field label="Id">
        <span className="mono">{connection.id}</span>
      </Field>
      {connection.metadata && Object.keys(connection.metadata).length > 0 ? (
        <Field label="Metadata">
          <dl className="metadata">
            {Object.entries(connection.metadata).map(([key, value]) => (
              <div key={key} className="kv">
                <dt>{key}</dt>
                <dd>{metadataValueText(value)}</dd>
              </div>
            ))}
          </dl>
        </Field>
      ) : null}
    </dl>
  )
}

function Flows({ flows }: { flows: FlowReference[] | null }) {
  if (!flows) return <p className="muted small">Flows are not available.</p>
  if (flows.length === 0) return <p className="muted small">No flow uses this connection.</p>
  return (
    <ul className="plain-list">
      {flows.map((flow) => (
        <li key={flow.flowId}>
          {flow.flowName ?? flow.flowId}
          <span className="muted small">
            {flow.projectId ? ` · ${flow.projectId}` : ''} · {flow.active ? 'active' : 'disabled'}
          </span>
        </li>
      ))}
    </ul>
  )
}

function AuditTrail({ entries }: { entries: AuditEntry[] | null }) {
  if (!entries) return <p className="muted small">The audit trail is not available.</p>
  if (entries.length === 0) return <p className="muted small">Nothing recorded yet.</p>
  return (
    <ol className="plain-list audit">
      {entries.map((entry) => (
        <li key={entry.seq}>
          <span className="mono">{entry.action}</span>
          <span className="muted small">
            {' '}
            · {formatDate(entry.at)} · {entry.origin}
          </span>
        </li>
      ))}
    </ol>
  )
}

export function DetailPanel({ id }: { id: string }) {
  const { connection, flows, audit, error } = useConnectionDetail(id)
  const close = useSelectionStore((s) => s.open)
  const openDialog = useUiStore((s) => s.openDialog)
  return (
    <aside className="detail" aria-label="Connection details">
      <header className="detail-head">
        <h2>{connection?.displayName ?? (error ? 'Not available' : 'Loading…')}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={() => close(null)}>
          ×
        </button>
      </header>
      {error ? (
        <p role="alert" className="form-error">
          {error.params.message}
        </p>
      ) : null}
      {connection ? (
        <>
          <div className="button-row">
            <button type="button" onClick={() => openDialog({ kind: 'edit', id })}>
              Edit
            </button>
            {connection.type !== 'NO_AUTH' || needsCredentials(connection) ? (
              <button
                type="button"
                className={needsCredentials(connection) ? 'primary' : undefined}
                onClick={() => openDialog({ kind: 'rotate', id })}
              >
                {rotateLabel(connection)}
              </button>
            ) : null}
            <button type="button" className="danger" onClick={() => openDialog({ kind: 'delete', id })}>
              Delete
            </button>
          </div>
          <SecretActions connection={connection} />
          {connection.type === 'OAUTH2' ? (
            <>
              <h3>Token health</h3>
              <TokenHealth key={connection.id} connection={connection} />
            </>
          ) : null}
          <h3>Details</h3>
          <Metadata connection={connection} />
          <h3>Flows{flows ? ` (${flows.length})` : ''}</h3>
          <Flows flows={flows} />
          <h3>Audit trail</h3>
          <AuditTrail entries={audit} />
        </>
      ) : null}
    </aside>
  )
}
