import { useEffect } from 'react'
import { useSettingsStore } from '../../stores/settings-store'
import { useUiStore } from '../../stores/ui-store'
import { useVaultStore } from '../../stores/vault-store'
import { ConnectionsScreen } from '../connections/ConnectionsScreen'
import { PanelFollowsList } from '../connections/usePanelFollowsList'
import { Toaster } from '../toasts/Toaster'
import { AppInfoBadge } from './AppInfoBadge'
import { Dialogs } from './Dialogs'
import { useActivityReporter } from './useActivityReporter'
import { useShortcuts } from './useShortcuts'

/** Everything that exists only while unlocked; locking unmounts it, which drops any revealed value and every toast. */
export function UnlockedShell() {
  const lock = useVaultStore((s) => s.lock)
  const openDialog = useUiStore((s) => s.openDialog)
  const loadSettings = useSettingsStore((s) => s.load)
  useShortcuts()
  useActivityReporter()
  useEffect(() => {
    void loadSettings()
  }, [loadSettings])

  return (
    <div className="app">
      <header className="app-header">
        <h1>Latchkey</h1>
        <AppInfoBadge />
        <div className="header-actions">
          <button
            type="button"
            className="primary"
            aria-keyshortcuts="Control+N Meta+N"
            onClick={() => openDialog({ kind: 'create' })}
          >
            New connection
          </button>
          <button
            type="button"
            aria-keyshortcuts="Control+K Meta+K"
            onClick={() => openDialog({ kind: 'palette' })}
          >
            Commands
          </button>
          <button type="button" onClick={() => openDialog({ kind: 'settings' })}>
            Settings
          </button>
          <button type="button" aria-keyshortcuts="Control+L Meta+L" onClick={() => void lock()}>
            Lock
          </button>
        </div>
      </header>
      <main className="app-main">
        <ConnectionsScreen />
      </main>
      <PanelFollowsList />
      <Dialogs />
      <Toaster />
    </div>
  )
}
