import { useEffect } from 'react'
import { CreateVaultScreen } from './features/unlock/CreateVaultScreen'
import { UnlockScreen } from './features/unlock/UnlockScreen'
import { UnlockedShell } from './features/shell/UnlockedShell'
import { Toaster } from './features/toasts/Toaster'
import { useSelectionStore } from './stores/selection-store'
import { useUiStore } from './stores/ui-store'
import { useVaultStore, vaultSelectors } from './stores/vault-store'

function Screen() {
  const state = useVaultStore(vaultSelectors.state)
  const error = useVaultStore(vaultSelectors.error)
  if (state === null) {
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

export function App() {
  const refresh = useVaultStore((s) => s.refresh)
  const markLocked = useVaultStore((s) => s.markLocked)

  useEffect(() => {
    void refresh()
    return window.latchkey.on('vault.stateChanged', ({ state, reason }) => {
      if (state !== 'locked') return void refresh()
      markLocked(reason === 'unlock' || reason === 'create' ? 'manual' : reason)
      // Nothing from the unlocked session survives a lock: no open dialog, no selection.
      useUiStore.getState().closeDialog()
      useSelectionStore.setState({ index: null, openId: null })
    })
  }, [refresh, markLocked])

  return (
    <>
      <Screen />
      <Toaster />
    </>
  )
}
