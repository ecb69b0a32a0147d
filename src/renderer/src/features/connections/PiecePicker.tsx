import { useCombobox } from '../../components/useCombobox'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { useFacetsStore } from '../../stores/facets-store'
import { pieceLabel, pieceMatches } from './format'

/** More than this and the list asks for more letters instead of growing past the screen. */
const SHOWN_AT_MOST = 50

/**
 * The piece filter as a combobox: typing "slack" lists "Slack" (matching the friendly name or the
 * package name, partially), with how many connections each piece has; choosing one filters on its
 * exact package name, which is what the API matches.
 */
export function PiecePicker() {
  const pieceName = useConnectionsQuery((s) => s.filters.pieceName)
  const setFilters = useConnectionsQuery((s) => s.setFilters)
  const pieces = useFacetsStore((s) => s.facets?.pieces)
  const { typed, close, keys, inputHandlers } = useCombobox()
  const open = typed !== null
  const matches = open ? (pieces ?? []).filter((p) => pieceMatches(p.pieceName, typed)) : []
  const shown = matches.slice(0, SHOWN_AT_MOST)

  function choose(name: string) {
    close()
    if (name !== pieceName) setFilters({ pieceName: name })
  }

  const { current, onKeyDown } = keys({
    count: shown.length,
    choose: (index) => choose(shown[index]!.pieceName),
    clear: pieceName ? () => setFilters({ pieceName: '' }) : undefined,
  })

  return (
    <div className="picker">
      <input
        role="combobox"
        aria-label="Piece"
        aria-expanded={open}
        aria-controls="piece-options"
        aria-autocomplete="list"
        aria-activedescendant={open && shown[current] ? `piece-option-${current}` : undefined}
        placeholder="Any piece"
        title={pieceName || undefined}
        value={open ? typed : pieceName ? pieceLabel(pieceName) : ''}
        {...inputHandlers}
        onKeyDown={onKeyDown}
        spellCheck={false}
        autoComplete="off"
      />
      {pieceName && !open ? (
        <button
          type="button"
          className="picker-clear"
          aria-label="Any piece"
          title="Any piece"
          onClick={() => setFilters({ pieceName: '' })}
        >
          ×
        </button>
      ) : null}
      {open ? (
        <ul id="piece-options" role="listbox" aria-label="Pieces" className="picker-list">
          {shown.map((piece, index) => (
            <li
              key={piece.pieceName}
              id={`piece-option-${index}`}
              role="option"
              aria-selected={index === current}
              className={index === current ? 'active' : undefined}
              // mousedown, not click: the input's blur would close the list before a click lands.
              onMouseDown={(e) => {
                e.preventDefault()
                choose(piece.pieceName)
              }}
            >
              <span className="picker-name">{pieceLabel(piece.pieceName)}</span>
              <span className="picker-package">{piece.pieceName}</span>
              <span className="picker-count">{piece.count.toLocaleString()}</span>
            </li>
          ))}
          {matches.length > SHOWN_AT_MOST ? (
            <li className="muted small" role="presentation">
              {matches.length - SHOWN_AT_MOST} more: keep typing
            </li>
          ) : null}
          {pieces && matches.length === 0 ? (
            <li className="muted small" role="presentation">
              No piece matches “{typed}”
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  )
}
