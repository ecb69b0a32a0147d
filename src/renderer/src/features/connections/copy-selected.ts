import { rowAt } from '../../stores/connections-query-store'
import { useSelectionStore } from '../../stores/selection-store'
import { toast } from '../toasts/toast-store'
import { copySecret } from './clipboard'

/**
 * Ctrl/Cmd+Shift+C and the palette's "Copy secret": the primary field (the secret text, the
 * password, the access token, a custom auth's first property) of the highlighted row, or of the
 * connection the detail panel shows when no row is highlighted. Plain Ctrl/Cmd+C is left to text.
 */
export function copySelectedSecret(): void {
  const { index, openId } = useSelectionStore.getState()
  const row = index === null ? undefined : rowAt(index)
  const id = row?.id ?? openId
  if (!id) {
    toast('Select a connection to copy its secret.', 'error')
    return
  }
  void copySecret(id, undefined, row ? `the secret of “${row.displayName}”` : undefined)
}
