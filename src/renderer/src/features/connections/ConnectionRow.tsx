import { memo } from 'react'
import type { AppConnection } from '../../../../shared/contract'
import { expiringSoonMsOf } from '../../../../shared/connection-health'
import { useSettingsStore } from '../../stores/settings-store'
import { SyncBadges } from '../sync/SyncBadges'
import { StatusBadge } from './StatusBadge'
import { agoText, expiryText, pieceLabel, ownerText, projectsText, typeLabel } from './format'

interface Props {
  index: number
  start: number
  connection: AppConnection | undefined
  selected: boolean
  /** Ticks every 30 s, so scrolling alone never changes it and memo hits stay high. */
  now: number
  onPick(index: number): void
}

/** Red once expired, amber within the settings' look-ahead: the same thresholds as the badge. */
function expiryClass(connection: AppConnection, now: number, soonMs: number): string {
  const at = Date.parse(connection.health.tokenExpiresAt ?? '')
  if (at <= now) return 'expiry expired'
  return at - now <= soonMs ? 'expiry soon' : 'expiry'
}

/** One virtual row: absolutely placed, cheap to render, skipped by memo unless its data changed. */
export const ConnectionRow = memo(function ConnectionRow({
  index,
  start,
  connection,
  selected,
  now,
  onPick,
}: Props) {
  const soonDays = useSettingsStore((s) => s.settings.expiringSoonDays)
  const style = { transform: `translateY(${start}px)` }
  if (!connection) {
    return (
      <div role="row" aria-rowindex={index + 2} className="grid-row placeholder" style={style}>
        <div role="gridcell" className="loading-cell">
          Loading…
        </div>
      </div>
    )
  }
  const expiry = expiryText(connection, now)
  return (
    <div
      role="row"
      id={`conn-row-${index}`}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={selected ? 'grid-row selected' : 'grid-row'}
      style={style}
      onClick={() => onPick(index)}
      data-id={connection.id}
    >
      <div role="gridcell" className="cell-name">
        {connection.displayName}
      </div>
      <div role="gridcell" className="cell-muted cell-piece" title={connection.pieceName}>
        {pieceLabel(connection.pieceName)}
      </div>
      <div role="gridcell">{typeLabel(connection.type)}</div>
      <div role="gridcell" className="cell-status">
        <StatusBadge connection={connection} now={now} />
        <SyncBadges connection={connection} />
        {expiry ? (
          <span className={expiryClass(connection, now, expiringSoonMsOf(soonDays))}>{expiry}</span>
        ) : null}
      </div>
      <div role="gridcell">{connection.scope === 'PLATFORM' ? 'Platform' : 'Project'}</div>
      <div role="gridcell" className="cell-muted">
        {projectsText(connection)}
      </div>
      <div role="gridcell" className="cell-muted">
        {ownerText(connection)}
      </div>
      <div role="gridcell" className="cell-muted">
        <time dateTime={connection.updated}>{agoText(connection.updated, now)}</time>
      </div>
    </div>
  )
})
