import type { AppConnection } from '../../../../shared/contract'
import { healthOf } from '../../../../shared/connection-health'

/**
 * The connection's health, not only its stored status: an ACTIVE connection whose token has
 * expired reads "Expired", never a green "Active" (shared/connection-health.ts decides). For ERROR
 * the provider's reason stands right beside it, not hidden in a tooltip.
 */
export function StatusBadge({ connection, now = Date.now() }: { connection: AppConnection; now?: number }) {
  const health = healthOf(connection, now)
  const reason = health.state === 'error' ? connection.statusReason : null
  return (
    <span className="status" title={health.detail ?? undefined}>
      <span className={`badge badge-${health.tone}`} data-health={health.state}>
        {health.label}
      </span>
      {reason ? <span className="status-reason">{reason}</span> : null}
    </span>
  )
}
