import { useEffect } from 'react'
import { useSettingsStore } from '../../stores/settings-store'
import { useUiStore } from '../../stores/ui-store'
import { useVaultStore } from '../../stores/vault-store'
import { CurrentView } from '../navigation/CurrentView'
import { DEFAULT_VIEW, useNavigationStore } from '../navigation/navigation-store'
import { Sidebar } from '../navigation/Sidebar'
import { PanelFollowsList } from '../connections/usePanelFollowsList'
import { CliApprovalDialog } from '../cli/CliApprovalDialog'
import { SyncIndicator } from '../sync/SyncIndicator'
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
  // Every unlock starts on Connections: a lock forgets where the person was, as it forgets the rest.
  useEffect(() => {
    useNavigationStore.getState().go(DEFAULT_VIEW)
  }, [])

  return (
    <div className="app">
      <header className="app-header">
        <h1>Latchkey</h1>
        <AppInfoBadge />
        <SyncIndicator />
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
      <div className="app-body">
        <Sidebar />
        <CurrentView />
      </div>
      <PanelFollowsList />
      <Dialogs />
      <CliApprovalDialog />
      <Toaster />
    </div>
  )
}
