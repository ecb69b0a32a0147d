import type { AppConnection } from '../../../../shared/contract'
import { expiringSoonMsOf, healthOf } from '../../../../shared/connection-health'
import { useSettingsStore } from '../../stores/settings-store'

/**
 * The connection's health, not only its stored status: an ACTIVE connection whose token has
 * expired reads "Expired", never a green "Active" (shared/connection-health.ts decides). For ERROR
 * the provider's reason stands right beside it, not hidden in a tooltip.
 */
export function StatusBadge({ connection, now = Date.now() }: { connection: AppConnection; now?: number }) {
  // The settings' look-ahead, so this badge and the Health view call the same tokens "expiring".
  const soonDays = useSettingsStore((s) => s.settings.expiringSoonDays)
  const health = healthOf(connection, now, expiringSoonMsOf(soonDays))
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
