import { useState, type KeyboardEvent } from 'react'
import { Modal } from '../../components/Modal'
import { EMPTY_FILTERS, useConnectionsQuery } from '../../stores/connections-query-store'
import { useSelectionStore } from '../../stores/selection-store'
import { useUiStore } from '../../stores/ui-store'
import { useVaultStore } from '../../stores/vault-store'
import { copySelectedSecret } from '../connections/copy-selected'
import { focusSearch } from '../shell/useShortcuts'
import { copySecret } from '../connections/clipboard'
import { pieceLabel } from '../connections/format'
import { useConnectionSearch, type FoundConnection } from './useConnectionSearch'
import { DEFAULT_VIEW, useNavigationStore } from '../navigation/navigation-store'
import { VIEWS, viewShortcut } from '../navigation/views'

interface Command {
  label: string
  shortcut?: string
  run(): void
}

function commands(): Command[] {
  const ui = useUiStore.getState()
  const query = useConnectionsQuery.getState()
  // A filter or sort is about the connection list, so it also brings the list on screen.
  const onList = (change: () => void) => () => {
    useNavigationStore.getState().go(DEFAULT_VIEW)
    change()
  }
  const views: Command[] = VIEWS.map((view, index) => ({
    label: `Go to ${view.label}`,
    shortcut: viewShortcut(index),
    run: () => useNavigationStore.getState().go(view.id),
  }))
  return [
    { label: 'New connection', shortcut: 'Ctrl+N', run: () => ui.openDialog({ kind: 'create' }) },
    { label: 'Search connections', shortcut: '/', run: () => requestAnimationFrame(focusSearch) },
    { label: 'Copy secret of the selected connection', shortcut: 'Ctrl+Shift+C', run: copySelectedSecret },
    {
      label: 'Show only connections with errors',
      run: onList(() => query.setFilters({ status: ['ERROR'] })),
    },
    { label: 'Sort by name', run: onList(() => query.setFilters({ sort: 'displayName' })) },
    { label: 'Sort by token expiry', run: onList(() => query.setFilters({ sort: 'expiry' })) },
    { label: 'Sort by status (problems first)', run: onList(() => query.setFilters({ sort: 'status' })) },
    {
      label: 'Show expired and expiring tokens',
      run: onList(() => query.setFilters({ expiry: ['expired', 'expiring'], sort: 'expiry' })),
    },
    { label: 'Sort by last updated', run: onList(() => query.setFilters({ sort: 'updated' })) },
    { label: 'Clear filters', run: onList(() => query.resetFilters()) },
    { label: 'Settings', run: () => ui.openDialog({ kind: 'settings' }) },
    { label: 'Lock vault', shortcut: 'Ctrl+L', run: () => void useVaultStore.getState().lock() },
    ...views,
  ]
}

/**
 * Opens a connection found by name: the list shows it (its name in the search box, other filters
 * cleared, so they cannot hide it) and the panel shows its details.
 */
function openConnection(connection: FoundConnection): void {
  const query = useConnectionsQuery.getState()
  useNavigationStore.getState().go(DEFAULT_VIEW)
  const { sort, order } = query.filters
  query.setFilters({ ...EMPTY_FILTERS, search: connection.displayName, sort, order })
  useSelectionStore.getState().open(connection.id)
}

/**
 * Ctrl/Cmd+K: connections by name (as 1Password's quick access finds items) and every action by
 * name, filtered as you type. On a connection, Enter opens it and Ctrl/Cmd+C copies its primary
 * field through main (audited, cleared later); on an action, Enter runs it.
 */
export function CommandPalette({ onClose }: { onClose(): void }) {
  const [text, setText] = useState('')
  const [active, setActive] = useState(0)
  const found = useConnectionSearch(text)
  const matches = commands().filter((c) => c.label.toLowerCase().includes(text.trim().toLowerCase()))
  const count = found.length + matches.length
  const current = Math.min(active, Math.max(0, count - 1))
  const currentConnection = current < found.length ? found[current] : undefined

  function run(command: Command | undefined) {
    if (!command) return
    onClose()
    command.run()
  }

  function choose(index: number) {
    const connection = found[index]
    if (connection) {
      onClose()
      openConnection(connection)
    } else run(matches[index - found.length])
  }

  function copy(connection: FoundConnection) {
    onClose()
    void copySecret(connection.id, undefined, `the secret of “${connection.displayName}”`)
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const input = event.currentTarget
    const copyKey = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c'
    if (event.key === 'ArrowDown') setActive((current + 1) % Math.max(1, count))
    else if (event.key === 'ArrowUp') setActive((current - 1 + count) % Math.max(1, count))
    else if (event.key === 'Enter') choose(current)
    // Ctrl/Cmd+C copies the connection's secret unless the person has selected text to copy.
    else if (copyKey && currentConnection && input.selectionStart === input.selectionEnd)
      copy(currentConnection)
    else return
    event.preventDefault()
  }

  return (
    <Modal open onClose={onClose} title="Command palette">
      <input
        className="palette-input"
        role="combobox"
        aria-label="Command"
        aria-expanded
        aria-controls="palette-list"
        aria-activedescendant={count > 0 ? `palette-${current}` : undefined}
        placeholder="Find a connection or type a command"
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
        autoFocus
      />
      <ul id="palette-list" role="listbox" aria-label="Commands" className="palette-list">
        {found.map((connection, index) => (
          <li
            key={connection.id}
            id={`palette-${index}`}
            role="option"
            aria-selected={index === current}
            aria-label={`Open ${connection.displayName}`}
            className={index === current ? 'active palette-connection' : 'palette-connection'}
            onClick={() => choose(index)}
          >
            <span className="palette-connection-name">{connection.displayName}</span>
            <span className="muted small">{pieceLabel(connection.pieceName)}</span>
            <button
              type="button"
              className="ghost palette-copy"
              tabIndex={-1}
              aria-label={`Copy the secret of ${connection.displayName}`}
              onClick={(e) => {
                e.stopPropagation()
                copy(connection)
              }}
            >
              Copy <kbd>Ctrl+C</kbd>
            </button>
          </li>
        ))}
        {matches.map((command, index) => (
          <li
            key={command.label}
            id={`palette-${found.length + index}`}
            role="option"
            aria-selected={found.length + index === current}
            className={found.length + index === current ? 'active' : undefined}
            onClick={() => run(command)}
          >
            {command.label}
            {command.shortcut ? <kbd>{command.shortcut}</kbd> : null}
          </li>
        ))}
        {count === 0 ? <li className="muted">No connection or command matches</li> : null}
      </ul>
    </Modal>
  )
}
