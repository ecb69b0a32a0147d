import { useRef, type KeyboardEvent } from 'react'
import { VIEWS, viewShortcut, type ViewEntry } from './views'
import { navigationSelectors, useNavigationStore } from './navigation-store'

function Badge({ useCount }: { useCount: NonNullable<ViewEntry['useBadge']> }) {
  const count = useCount()
  if (!count) return null
  return (
    <span className="nav-badge" aria-label={`${count} need attention`}>
      {count > 99 ? '99+' : count}
    </span>
  )
}

/**
 * The views, as 1Password's and Bitwarden's sidebars list vaults and tools (a strip under the
 * header in narrower windows). One tab stop: Tab enters on the current view, arrow keys (and
 * Home/End) move and open at once, as a tab list does.
 */
export function Sidebar() {
  const current = useNavigationStore(navigationSelectors.view)
  const go = useNavigationStore((s) => s.go)
  const list = useRef<HTMLUListElement>(null)

  function moveTo(index: number) {
    const entry = VIEWS[(index + VIEWS.length) % VIEWS.length]!
    go(entry.id)
    list.current?.querySelector<HTMLButtonElement>(`[data-view="${entry.id}"]`)?.focus()
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const at = VIEWS.findIndex((view) => view.id === current)
    // Down/Up in the column, Right/Left in the strip narrow windows show: both work in either.
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') moveTo(at + 1)
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') moveTo(at - 1)
    else if (event.key === 'Home') moveTo(0)
    else if (event.key === 'End') moveTo(VIEWS.length - 1)
    else return
    event.preventDefault()
  }

  return (
    <nav className="sidebar" aria-label="Views">
      <ul ref={list} onKeyDown={onKeyDown}>
        {VIEWS.map((entry, index) => {
          const active = entry.id === current
          const shortcut = viewShortcut(index)
          return (
            <li key={entry.id}>
              <button
                type="button"
                data-view={entry.id}
                className={active ? 'nav-item active' : 'nav-item'}
                aria-current={active ? 'page' : undefined}
                aria-keyshortcuts={shortcut ? `Control+${index + 1} Meta+${index + 1}` : undefined}
                tabIndex={active ? 0 : -1}
                title={shortcut ? `${entry.description} (${shortcut})` : entry.description}
                onClick={() => go(entry.id)}
              >
                <span className="nav-icon" aria-hidden="true">
                  {entry.icon}
                </span>
                <span className="nav-label">{entry.label}</span>
                {entry.useBadge ? <Badge useCount={entry.useBadge} /> : null}
              </button>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
