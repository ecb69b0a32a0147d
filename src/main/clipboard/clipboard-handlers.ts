import { createHash } from 'node:crypto'
import type { Handlers } from '../api/router'
import type { ConnectionsService } from '../connections/service'
import type { SystemClipboard } from '../adapters/clipboard'
import type { Clock } from '../adapters/clock'
import type { VaultManager } from '../vault/vault-manager'

export interface ClipboardDependencies {
  connections: ConnectionsService
  vault: Pick<VaultManager, 'getSettings'>
  clock: Clock
  /** Absent in browser mode: there the page writes its own clipboard (CopyDelivery 'renderer'). */
  system?: SystemClipboard
}

const digest = (text: string) => createHash('sha256').update(text).digest()

/**
 * Copy goes through main so it is audited, and on the desktop the secret never enters the renderer.
 * The clear is scheduled with only a digest kept, and empties the clipboard only if it still holds
 * that secret: whatever the person copied since is theirs.
 */
export function clipboardHandlers(
  dependencies: ClipboardDependencies,
): Pick<Handlers, 'clipboard.copySecret'> {
  const { connections, vault, clock, system } = dependencies
  let pendingClear: unknown = null

  function writeAndScheduleClear(clipboard: SystemClipboard, text: string, clearAfterSeconds: number) {
    clipboard.writeText(text)
    if (pendingClear !== null) clock.clearTimeout(pendingClear)
    pendingClear = null
    if (clearAfterSeconds <= 0) return
    const written = digest(text)
    pendingClear = clock.setTimeout(() => {
      pendingClear = null
      if (digest(clipboard.readText()).equals(written)) clipboard.writeText('')
    }, clearAfterSeconds * 1000)
  }

  return {
    'clipboard.copySecret': (input, context) => {
      const text = connections.copyText(input.connectionId, input.field, context.origin)
      const clearAfterSeconds = vault.getSettings().clipboardClearSeconds
      if (!system) return { delivery: 'renderer', text, clearAfterSeconds }
      writeAndScheduleClear(system, text, clearAfterSeconds)
      return { delivery: 'system', clearAfterSeconds }
    },
  }
}
