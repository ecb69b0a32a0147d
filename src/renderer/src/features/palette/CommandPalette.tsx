import { useState, type KeyboardEvent } from 'react'
import { Modal } from '../../components/Modal'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { useUiStore } from '../../stores/ui-store'
import { useVaultStore } from '../../stores/vault-store'
import { copySelectedSecret } from '../connections/copy-selected'
import { focusSearch } from '../shell/useShortcuts'

interface Command {
  label: string
  shortcut?: string
  run(): void
}

function commands(): Command[] {
  const ui = useUiStore.getState()
  const query = useConnectionsQuery.getState()
  return [
    { label: 'New connection', shortcut: 'Ctrl+N', run: () => ui.openDialog({ kind: 'create' }) },
    { label: 'Search connections', shortcut: '/', run: () => requestAnimationFrame(focusSearch) },
    { label: 'Copy secret of the selected connection', shortcut: 'Ctrl+Shift+C', run: copySelectedSecret },
    { label: 'Show only connections with errors', run: () => query.setFilters({ status: ['ERROR'] }) },
    { label: 'Sort by name', run: () => query.setFilters({ sort: 'displayName' }) },
    { label: 'Sort by token expiry', run: () => query.setFilters({ sort: 'expiry' }) },
    { label: 'Sort by last updated', run: () => query.setFilters({ sort: 'updated' }) },
    { label: 'Clear filters', run: () => query.resetFilters() },
    { label: 'Settings', run: () => ui.openDialog({ kind: 'settings' }) },
    { label: 'Lock vault', shortcut: 'Ctrl+L', run: () => void useVaultStore.getState().lock() },
  ]
}

/** Ctrl/Cmd+K: every action by name, filtered as you type, run with Enter. */
export function CommandPalette({ onClose }: { onClose(): void }) {
  const [text, setText] = useState('')
  const [active, setActive] = useState(0)
  const matches = commands().filter((c) => c.label.toLowerCase().includes(text.trim().toLowerCase()))
  const current = Math.min(active, Math.max(0, matches.length - 1))

  function run(command: Command | undefined) {
    if (!command) return
    onClose()
    command.run()
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown') setActive((current + 1) % Math.max(1, matches.length))
    else if (event.key === 'ArrowUp') setActive((current - 1 + matches.length) % Math.max(1, matches.length))
    else if (event.key === 'Enter') run(matches[current])
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
        aria-activedescendant={matches[current] ? `palette-${current}` : undefined}
        placeholder="Type a command"
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
        autoFocus
      />
      <ul id="palette-list" role="listbox" aria-label="Commands" className="palette-list">
        {matches.map((command, index) => (
          <li
            key={command.label}
            id={`palette-${index}`}
            role="option"
            aria-selected={index === current}
            className={index === current ? 'active' : undefined}
            onClick={() => run(command)}
          >
            {command.label}
            {command.shortcut ? <kbd>{command.shortcut}</kbd> : null}
          </li>
        ))}
        {matches.length === 0 ? <li className="muted">No matching command</li> : null}
      </ul>
    </Modal>
  )
}
