import type Database from 'better-sqlite3'
import type { Handlers } from '../api/router'
import { listAuditFiltered } from './audit-list'
import { verifyAudit } from './audit-verify'

/**
 * What the audit handlers need from the vault, named here so audit/ never imports vault/: the vault
 * writes audit entries inside its own transactions, so the dependency runs vault → audit only.
 */
export interface AuditSource {
  /** The unlocked vault's database; throws VAULT_LOCKED while locked. */
  requireSession(): { readonly db: Database.Database }
}

/** Reading the log needs an unlocked vault: entity ids and names are the user's business. */
export function auditHandlers(vault: AuditSource): Pick<Handlers, 'audit.list' | 'audit.verify'> {
  return {
    'audit.list': (input) => listAuditFiltered(vault.requireSession().db, input),
    'audit.verify': () => verifyAudit(vault.requireSession().db),
  }
}
