import { useState } from 'react'
import type { AppConnection } from '../../../../shared/contract'
import { useConnectionCandidates } from '../replace/useConnectionCandidates'
import { flowCountText, flowsText, type FlowUsage } from './flow-usage'
import { pieceLabel, typeLabel } from './format'

const STATUS_WORDS = { ACTIVE: 'Active', MISSING: 'Missing', ERROR: 'Error' } as const

/**
 * Connections the flows can move to: the same piece and the same remote (main refuses any other,
 * since a remote's flows can only reference that remote's connections), with credentials (a
 * placeholder would leave the flows as broken as before), never the source itself.
 */
function useCandidates(source: AppConnection, search: string) {
  return useConnectionCandidates(
    {
      pieceName: source.pieceName,
      remoteId: source.remoteId,
      status: ['ACTIVE', 'ERROR'],
      excludeId: source.id,
      withValue: true,
    },
    search,
  )
}

interface Props {
  source: AppConnection
  usage: FlowUsage
  busy: boolean
  onBack(): void
  onConfirm(target: AppConnection): void
}

/** Step two of a delete that flows depend on: pick where the flows go, see what will happen, confirm. */
export function ReplaceConnection({ source, usage, busy, onBack, onConfirm }: Props) {
  const [search, setSearch] = useState('')
  const [chosen, setChosen] = useState<AppConnection | null>(null)
  const { candidates, error } = useCandidates(source, search)
  const piece = pieceLabel(source.pieceName)

  return (
    <div className="replace">
      <p>
        Its {flowCountText(usage)} will use the connection you pick instead, then “{source.displayName}” is
        deleted. Only other {piece} connections with credentials are listed.
      </p>
      <input
        aria-label="Find a connection"
        type="search"
        placeholder={`Find a ${piece} connection`}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : candidates === null ? (
        <p className="muted small" aria-busy="true">
          Looking for {piece} connections…
        </p>
      ) : candidates.length === 0 ? (
        <p className="muted" role="status">
          {search.trim()
            ? `No other ${piece} connection matches “${search.trim()}”.`
            : `There is no other ${piece} connection to move them to. Create one first, or go back and delete leaving a placeholder.`}
        </p>
      ) : (
        <div role="radiogroup" aria-label="Replacement connection" className="replace-list">
          {candidates.map((candidate) => (
            <label key={candidate.id} className="replace-option">
              <input
                type="radio"
                name="replacement"
                checked={chosen?.id === candidate.id}
                onChange={() => setChosen(candidate)}
              />
              <span className="replace-name" title={candidate.displayName}>
                {candidate.displayName}
              </span>
              <span className="muted small">
                {typeLabel(candidate.type)} · {STATUS_WORDS[candidate.status]} · {candidate.externalId}
              </span>
            </label>
          ))}
        </div>
      )}
      {chosen ? (
        <p role="status" className="replace-summary">
          {usage.total === 1 ? 'Its flow moves' : `All ${flowsText(usage.total)} move`} to “
          {chosen.displayName}”; “{source.displayName}” and its secret are then deleted.
        </p>
      ) : null}
      <div className="button-row end">
        <button type="button" onClick={onBack} disabled={busy}>
          Back
        </button>
        <button
          type="button"
          className="danger"
          disabled={!chosen || busy}
          onClick={() => chosen && onConfirm(chosen)}
        >
          {busy ? 'Moving…' : `Move ${flowsText(usage.total)} and delete`}
        </button>
      </div>
    </div>
  )
}
