import { useState } from 'react'
import type { ConnectionPolicy } from '../../../../shared/contract'
import { pieceLabel } from '../connections/format'
import { PolicyCellEditor } from './PolicyCellEditor'
import { POLICY_LABELS } from './policy-labels'
import { cellKey, type PolicyMatrix } from './usePolicyMatrix'

interface Props {
  matrix: PolicyMatrix
  pieces: string[]
  projects: string[]
  onChanged(): void
}

function CellSummary({ policy, matrix }: { policy: ConnectionPolicy | undefined; matrix: PolicyMatrix }) {
  if (!policy) return <span className="muted">No policy</span>
  const connection = policy.connectionId ? matrix.connections.get(policy.connectionId) : undefined
  const troubled = matrix.problems.some((p) => cellKey(p.policy) === cellKey(policy))
  return (
    <>
      <span className="policy-type">{POLICY_LABELS[policy.type]}</span>
      <span className={troubled ? 'policy-connection problem' : 'policy-connection muted'}>
        {troubled ? '⚠ ' : ''}
        {policy.type === 'USER_REQUIRED'
          ? 'no default'
          : connection
            ? connection.displayName
            : policy.connectionId
              ? 'connection not found'
              : 'connection deleted'}
      </span>
    </>
  )
}

/** Pieces down, projects across; each cell its policy and connection, a button that edits it in place. */
export function PolicyMatrixTable({ matrix, pieces, projects, onChanged }: Props) {
  const [editing, setEditing] = useState<string | null>(null)
  const byCell = new Map(matrix.policies.map((p) => [cellKey(p), p]))

  return (
    <div className="policy-matrix-wrap">
      <table className="policy-matrix" aria-label="Policies by piece and project">
        <thead>
          <tr>
            <th scope="col">Piece</th>
            {projects.map((project) => (
              <th scope="col" key={project}>
                {project}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {pieces.map((piece) => (
            <tr key={piece}>
              <th scope="row" title={piece}>
                {pieceLabel(piece)}
              </th>
              {projects.map((project) => {
                const key = cellKey({ pieceName: piece, projectId: project })
                const policy = byCell.get(key)
                return (
                  <td key={project}>
                    {editing === key ? (
                      <PolicyCellEditor
                        pieceName={piece}
                        projectId={project}
                        policy={policy}
                        onDone={(changed) => {
                          setEditing(null)
                          if (changed) onChanged()
                        }}
                      />
                    ) : (
                      <button
                        type="button"
                        className="policy-cell"
                        aria-label={`${pieceLabel(piece)} in ${project}: ${policy ? POLICY_LABELS[policy.type] : 'no policy'}. Edit`}
                        onClick={() => setEditing(key)}
                      >
                        <CellSummary policy={policy} matrix={matrix} />
                      </button>
                    )}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
