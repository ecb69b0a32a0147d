import type { HealthSummary } from '../../../../shared/contract'

const WIDTH = 600
const HEIGHT = 120
const AXIS = 18

/**
 * Expiries per day for the next 30 days as bars: people would rather look than read. The SVG is one
 * labelled image; the same numbers are in a table for screen readers and for anyone who wants them.
 */
export function ExpiryTimeline({
  timeline,
  soonDays,
}: {
  timeline: HealthSummary['timeline']
  soonDays: number
}) {
  const most = Math.max(1, ...timeline.map((day) => day.count))
  const total = timeline.reduce((sum, day) => sum + day.count, 0)
  const slot = WIDTH / timeline.length
  const label = `Token expiries over the next ${timeline.length} days: ${total} in all${
    total > 0 ? `, most on ${busiest(timeline)}` : ''
  }.`
  return (
    <figure className="health-timeline">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`} role="img" aria-label={label}>
        <line x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="axis" />
        {timeline.map((day, index) => {
          const height = (day.count / most) * (HEIGHT - 8)
          return (
            <g key={day.day}>
              {day.count > 0 ? (
                <rect
                  x={index * slot + 2}
                  y={HEIGHT - height}
                  width={slot - 4}
                  height={height}
                  className={index < soonDays ? 'bar soon' : 'bar'}
                >
                  <title>{`${dayLabel(day.day)}: ${day.count} ${day.count === 1 ? 'expiry' : 'expiries'}`}</title>
                </rect>
              ) : null}
              {index % 7 === 0 ? (
                <text
                  x={index === 0 ? 0 : index * slot + slot / 2}
                  y={HEIGHT + AXIS - 4}
                  textAnchor={index === 0 ? 'start' : 'middle'}
                >
                  {index === 0 ? 'Today' : dayLabel(day.day)}
                </text>
              ) : null}
            </g>
          )
        })}
      </svg>
      <figcaption>{label}</figcaption>
      <details>
        <summary>As a table</summary>
        <table className="health-timeline-table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Expiries</th>
            </tr>
          </thead>
          <tbody>
            {timeline
              .filter((day) => day.count > 0)
              .map((day) => (
                <tr key={day.day}>
                  <td>{dayLabel(day.day)}</td>
                  <td>{day.count}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}

const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  })

function busiest(timeline: HealthSummary['timeline']): string {
  const top = timeline.reduce((best, day) => (day.count > best.count ? day : best))
  return dayLabel(top.day)
}
