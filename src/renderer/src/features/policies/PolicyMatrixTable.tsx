import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
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

const MOVES: Record<string, [number, number]> = {
  ArrowUp: [-1, 0],
  ArrowDown: [1, 0],
  ArrowLeft: [0, -1],
  ArrowRight: [0, 1],
}

/** Arrow keys move between cells as in a spreadsheet; Enter or Space on a cell edits it. */
function moveBetweenCells(event: KeyboardEvent<HTMLTableElement>) {
  const move = MOVES[event.key]
  const cell = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('.policy-cell') : null
  if (!move || !cell) return
  const row = Number(cell.dataset.row) + move[0]
  const column = Number(cell.dataset.column) + move[1]
  const next = event.currentTarget.querySelector<HTMLElement>(
    `.policy-cell[data-row="${row}"][data-column="${column}"]`,
  )
  if (!next) return
  event.preventDefault()
  next.focus()
}

/** Pieces down, projects across; each cell its policy and connection, a button that edits it in place. */
export function PolicyMatrixTable({ matrix, pieces, projects, onChanged }: Props) {
  const [editing, setEditing] = useState<string | null>(null)
  const table = useRef<HTMLTableElement>(null)
  // Closing an editor gives focus back to its cell, so the keyboard carries on from where it was.
  const returnTo = useRef<{ row: number; column: number } | null>(null)
  useEffect(() => {
    const cell = returnTo.current
    if (editing !== null || !cell) return
    returnTo.current = null
    table.current
      ?.querySelector<HTMLElement>(`.policy-cell[data-row="${cell.row}"][data-column="${cell.column}"]`)
      ?.focus()
  }, [editing])
  const byCell = new Map(matrix.policies.map((p) => [cellKey(p), p]))

  return (
    <div className="policy-matrix-wrap">
      <table
        ref={table}
        className="policy-matrix"
        aria-label="Policies by piece and project"
        onKeyDown={moveBetweenCells}
      >
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
          {pieces.map((piece, rowIndex) => (
            <tr key={piece}>
              <th scope="row" title={piece}>
                {pieceLabel(piece)}
              </th>
              {projects.map((project, columnIndex) => {
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
                          returnTo.current = { row: rowIndex, column: columnIndex }
                        }}
                      />
                    ) : (
                      <button
                        type="button"
                        className="policy-cell"
                        data-row={rowIndex}
                        data-column={columnIndex}
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
