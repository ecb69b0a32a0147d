import { useEffect } from 'react'
import { isAppError } from '../../shared/errors'
import { isBrowserMode, isMissingSessionToken } from './bridge/install'
import { CreateVaultScreen } from './features/unlock/CreateVaultScreen'
import { UnlockScreen } from './features/unlock/UnlockScreen'
import { NoTokenScreen } from './features/shell/NoTokenScreen'
import { UnlockedShell } from './features/shell/UnlockedShell'
import { useToastStore } from './features/toasts/toast-store'
import { useSelectionStore } from './stores/selection-store'
import { useUiStore } from './stores/ui-store'
import { useVaultStore, vaultSelectors } from './stores/vault-store'

function Screen() {
  const state = useVaultStore(vaultSelectors.state)
  const error = useVaultStore(vaultSelectors.error)
  if (state === null) {
    // Browser mode refuses a token from an earlier start: say how to get this start's link.
    if (error && isBrowserMode() && isAppError(error, 'AUTHENTICATION'))
      return <NoTokenScreen reason="rejected" />
    return error ? (
      <main className="gate">
        <p role="alert" className="form-error">
          {error.params.message}
        </p>
      </main>
    ) : (
      <main className="gate" aria-busy="true">
        <p className="muted">Opening Latchkey…</p>
      </main>
    )
  }
  if (state === 'uninitialized') return <CreateVaultScreen />
  if (state === 'locked') return <UnlockScreen />
  return <UnlockedShell />
}

function ConnectedApp() {
  const refresh = useVaultStore((s) => s.refresh)
  const markLocked = useVaultStore((s) => s.markLocked)

  useEffect(() => {
    void refresh()
    return window.latchkey.on('vault.stateChanged', ({ state, reason }) => {
      if (state !== 'locked') return void refresh()
      markLocked(reason === 'unlock' || reason === 'create' ? 'manual' : reason)
      // Nothing from the unlocked session survives a lock: no open dialog, no selection, no toast.
      useUiStore.getState().closeDialog()
      useSelectionStore.setState({ index: null, openId: null })
      useToastStore.getState().clear()
    })
  }, [refresh, markLocked])

  return <Screen />
}

export function App() {
  // Without browser mode's token no call can succeed; nothing is asked of main, and no event stream opened.
  if (isMissingSessionToken()) return <NoTokenScreen reason="missing" />
  return <ConnectedApp />
}
