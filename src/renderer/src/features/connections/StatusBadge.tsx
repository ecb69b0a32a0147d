import type { AppConnection } from '../../../../shared/contract'

const LABELS = { ACTIVE: 'Active', MISSING: 'Missing', ERROR: 'Error' } as const

/** The status, and for ERROR the provider's reason right beside it, not hidden in a tooltip. */
export function StatusBadge({ connection }: { connection: AppConnection }) {
  const label = LABELS[connection.status]
  const reason = connection.status === 'ERROR' ? connection.statusReason : null
  return (
    <span className="status" title={reason ?? undefined}>
      <span className={`badge badge-${connection.status.toLowerCase()}`}>{label}</span>
      {reason ? <span className="status-reason">{reason}</span> : null}
    </span>
  )
}
