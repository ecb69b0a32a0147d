import { useId } from 'react'
import { useCombobox } from '../../components/useCombobox'
import type { AppConnection } from '../../../../shared/contract'
import { pieceLabel, typeLabel } from '../connections/format'
import { useConnectionCandidates, type CandidateFilter } from './useConnectionCandidates'

const STATUS_WORDS = { ACTIVE: 'Active', MISSING: 'Missing', ERROR: 'Error' } as const

interface Props {
  label: string
  filter: CandidateFilter
  chosen: AppConnection | null
  onChoose(connection: AppConnection | null): void
  /** What to say when nothing can be offered at all (no search typed). */
  emptyText: string
  disabled?: boolean
}

/** "Slack · Secret text · Active · 3 flows · ext-id": enough to tell two similar names apart. */
function describe(connection: AppConnection): string {
  const flows = connection.flowIds.length
  return [
    pieceLabel(connection.pieceName),
    typeLabel(connection.type),
    STATUS_WORDS[connection.status],
    `${flows} ${flows === 1 ? 'flow' : 'flows'}`,
    connection.externalId,
  ].join(' · ')
}

/**
 * A connection as a searchable combobox, in the piece picker's manner: type part of a name, arrow
 * keys move, Enter chooses, Escape clears. The list comes from main, filtered as asked.
 */
export function ConnectionPicker({ label, filter, chosen, onChoose, emptyText, disabled }: Props) {
  const id = useId()
  const { typed, close, keys, inputHandlers } = useCombobox()
  const open = typed !== null
  const { candidates, error } = useConnectionCandidates(filter, typed ?? '', open)
  const shown = open ? (candidates ?? []) : []

  function choose(connection: AppConnection) {
    close()
    onChoose(connection)
  }

  const { current, onKeyDown } = keys({
    count: shown.length,
    choose: (index) => choose(shown[index]!),
    clear: chosen ? () => onChoose(null) : undefined,
  })

  return (
    <div className="field connection-picker">
      <label htmlFor={`${id}-input`}>{label}</label>
      <div className="picker">
        <input
          id={`${id}-input`}
          role="combobox"
          aria-expanded={open}
          aria-controls={`${id}-options`}
          aria-autocomplete="list"
          aria-activedescendant={open && shown[current] ? `${id}-option-${current}` : undefined}
          placeholder="Type part of a name"
          value={open ? typed : (chosen?.displayName ?? '')}
          disabled={disabled}
          {...inputHandlers}
          onKeyDown={onKeyDown}
          spellCheck={false}
          autoComplete="off"
        />
        {open ? (
          <ul id={`${id}-options`} role="listbox" aria-label={label} className="picker-list">
            {shown.map((connection, index) => (
              <li
                key={connection.id}
                id={`${id}-option-${index}`}
                role="option"
                aria-selected={index === current}
                className={index === current ? 'active' : undefined}
                // mousedown, not click: the input's blur would close the list before a click lands.
                onMouseDown={(e) => {
                  e.preventDefault()
                  choose(connection)
                }}
              >
                <span className="picker-name">{connection.displayName}</span>
                <span className="picker-package">{describe(connection)}</span>
              </li>
            ))}
            {error ? (
              <li className="form-error small" role="presentation">
                {error}
              </li>
            ) : candidates === null ? (
              <li className="muted small" role="presentation">
                Looking…
              </li>
            ) : shown.length === 0 ? (
              <li className="muted small" role="presentation">
                {typed?.trim() ? `No connection matches “${typed.trim()}”.` : emptyText}
              </li>
            ) : null}
          </ul>
        ) : null}
      </div>
      {chosen && !open ? <p className="muted small">{describe(chosen)}</p> : null}
    </div>
  )
}
