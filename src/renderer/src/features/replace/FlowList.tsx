import type { FlowReference } from '../../../../shared/contract'

interface Props {
  title: string
  flows: FlowReference[] | null
  error: string | null
}

/** The flows on one side of a replace, named, with whether each is active. */
export function FlowList({ title, flows, error }: Props) {
  return (
    <section className="flow-list" aria-label={title}>
      <h3>{title}</h3>
      {error ? (
        <p className="form-error small" role="alert">
          {error}
        </p>
      ) : flows === null ? (
        <p className="muted small">Loading…</p>
      ) : flows.length === 0 ? (
        <p className="muted small">No flow uses it.</p>
      ) : (
        <ul className="plain-list">
          {flows.map((flow) => (
            <li key={flow.flowId}>
              {flow.flowName ?? flow.flowId}
              {flow.active ? null : <span className="muted small"> (inactive)</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
