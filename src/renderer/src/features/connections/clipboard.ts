import type { CopyDelivery } from '../../../../shared/contract'

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
