import { useEffect } from 'react'
import { useNavigationStore } from '../navigation/navigation-store'

/**
 * Settings moved into the Account view, so there is one place for them. Whatever still opens the
 * settings dialog (the ui store's 'settings' kind) lands there instead.
 */
export function SettingsDialog({ onClose }: { onClose(): void }) {
  useEffect(() => {
    useNavigationStore.getState().go('account')
    onClose()
  }, [onClose])
  return null
}
