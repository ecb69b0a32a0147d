import type { Handlers } from '../api/router'
import type { VaultManager } from '../vault/vault-manager'
import { listAudit, verifyAudit } from './audit-log'

/** Reading the log needs an unlocked vault: entity ids and names are the user's business. */
export function auditHandlers(vault: VaultManager): Pick<Handlers, 'audit.list' | 'audit.verify'> {
  return {
    'audit.list': (input) => listAudit(vault.requireSession().db, input),
    'audit.verify': () => verifyAudit(vault.requireSession().db),
  }
}
