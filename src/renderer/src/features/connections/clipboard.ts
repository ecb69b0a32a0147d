import type { CopyDelivery } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'

async function digest(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Browser mode only (the desktop host writes and clears the OS clipboard in main): write the
 * secret, then after `clearAfterSeconds` empty the clipboard only if it still holds that secret.
 * Only a SHA-256 digest is kept for that comparison, never the text itself.
 */
export async function writeAndScheduleClear(delivery: Extract<CopyDelivery, { delivery: 'renderer' }>) {
  await navigator.clipboard.writeText(delivery.text)
  if (delivery.clearAfterSeconds <= 0) return
  const written = await digest(delivery.text)
  setTimeout(() => {
    void clearIfUnchanged(written)
  }, delivery.clearAfterSeconds * 1000)
}

async function clearIfUnchanged(written: string): Promise<void> {
  try {
    const current = await navigator.clipboard.readText()
    if ((await digest(current)) === written) await navigator.clipboard.writeText('')
  } catch {
    // Reading needs focus and permission; without them we cannot tell, so we leave the clipboard alone
    // rather than wipe something the person copied since.
  }
}

/**
 * Copies one field of a connection's value through main (audited, cleared later), or its primary
 * field when `field` is omitted: the detail panel's buttons, the palette and Ctrl/Cmd+Shift+C all
 * come here. `what` names the field in the toast, never its text.
 */
export async function copySecret(connectionId: string, field?: string, what?: string): Promise<void> {
  try {
    const delivery = await api().clipboard.copySecret({ connectionId, ...(field ? { field } : {}) })
    if (delivery.delivery === 'renderer') await writeAndScheduleClear(delivery)
    const copied = what ? `Copied ${what}.` : 'Copied.'
    toast(
      delivery.clearAfterSeconds > 0
        ? `${copied} The clipboard will be cleared in ${delivery.clearAfterSeconds} s.`
        : copied,
    )
  } catch (failure) {
    handleLockedError(failure)
    toast(asAppError(failure).params.message, 'error')
  }
}
