import { useEffect } from 'react'
import { useUiStore } from '../../stores/ui-store'
import { copySelectedSecret } from '../connections/copy-selected'
import { useVaultStore } from '../../stores/vault-store'
import { DEFAULT_VIEW, useNavigationStore } from '../navigation/navigation-store'
import { goToViewByKey } from '../navigation/view-shortcuts'

/** Search lives in the Connections view: from any other view, go there first and focus once it is drawn. */
export function focusSearch(): void {
  if (useNavigationStore.getState().view !== DEFAULT_VIEW) {
    useNavigationStore.getState().go(DEFAULT_VIEW)
    requestAnimationFrame(focusSearch)
    return
  }
  const search = document.getElementById('connection-search') as HTMLInputElement | null
  search?.focus()
  search?.select()
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))

/**
 * Global shortcuts while unlocked. Ctrl on Linux/Windows, Cmd on macOS; the browser's own
 * Ctrl+F/N/L are taken over because the app is the page.
 */
export function useShortcuts(): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const mod = event.ctrlKey || event.metaKey
      const key = event.key.toLowerCase()
      const dialogOpen = useUiStore.getState().dialog.kind !== 'none'
      if (mod && key === 'l') {
        event.preventDefault()
        void useVaultStore.getState().lock()
        return
      }
      if (dialogOpen) return
      if (goToViewByKey(event)) {
        event.preventDefault()
        return
      }
      if (mod && event.shiftKey && key === 'c') {
        event.preventDefault()
        copySelectedSecret()
      } else if (mod && key === 'k') {
        event.preventDefault()
        useUiStore.getState().openDialog({ kind: 'palette' })
      } else if (mod && key === 'n') {
        event.preventDefault()
        useUiStore.getState().openDialog({ kind: 'create' })
      } else if (mod && key === 'f') {
        event.preventDefault()
        focusSearch()
      } else if (event.key === '/' && !mod && !isTyping(event.target)) {
        event.preventDefault()
        focusSearch()
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
