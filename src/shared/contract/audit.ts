import { z } from 'zod'
import { procedure } from './define'

export type AuditAction =
  | 'vault.create'
  | 'vault.unlock'
  | 'vault.unlock_failed'
  | 'vault.lock'
  | 'vault.password_change'
  | 'vault.kdf_upgrade'
  | 'vault.backup'
  | 'vault.restore'
  | 'connection.create'
  | 'connection.update'
  | 'connection.rotate'
  | 'connection.refresh'
  | 'connection.refresh_failed'
  | 'connection.reconnect'
  | 'connection.delete'
  | 'connection.replace'
  | 'connection.reveal'
  | 'connection.copy'
  | 'connection.export'
  | 'connection.import'
  | 'policy.set'
  | 'policy.remove'
  | 'settings.change'
  | 'audit.remac'
  | 'audit.head_mismatch'
  | 'remote.add'
  | 'remote.update'
  | 'remote.remove'
  | 'sync.resolve'

/** One link of the hash chain. `details` never holds a secret: ids, names, counts, reasons only. */
export interface AuditEntry {
  seq: number
  at: string
  action: AuditAction
  /** Which host the call came through ("desktop", "browser", "system"). */
  origin: string
  entityType: string | null
  entityId: string | null
  details: Record<string, string | number | boolean | null>
  prevHash: string
  hash: string
}

export interface AuditPage {
  data: AuditEntry[]
  next: string | null
  previous: string | null
}

/**
 * A run of consecutive entries that fail ('invalid': link, hash or MAC), are gone ('missing'), or
 * are intact but left out of their connection's history ('unlinked': the link to the entity's
 * previous entry, or the pointer to its newest, was edited, so the history view skips them).
 */
export interface AuditBreak {
  fromSeq: number
  toSeq: number
  reason: 'invalid' | 'missing' | 'unlinked'
}

export interface AuditVerification {
  ok: boolean
  /** Entries read. */
  checked: number
  /** The seq of the first break, when there is one. */
  brokenAt?: number
  /** Every break, oldest first, when there is one: a break never hides a later one. */
  breaks?: AuditBreak[]
  /**
   * The anchored head, when it does not vouch for the log: 'missing' (none), 'invalid' (its MAC is
   * forged), 'mismatch' (authentic, but it names an end the log no longer has: entries were cut).
   */
  anchor?: 'missing' | 'invalid' | 'mismatch'
}

export const auditProcedures = {
  'audit.list': procedure(
    z
      .object({
        entityId: z.string().min(1).max(200).optional(),
        /** Only these actions (any of them); absent or empty means every action. */
        actions: z.array(z.string().min(1).max(60)).max(50).optional(),
        /** From this moment on (inclusive). */
        since: z.iso.datetime({ offset: true }).optional(),
        /** Before this moment (exclusive). */
        until: z.iso.datetime({ offset: true }).optional(),
        limit: z.number().int().min(1).max(100).default(50),
        cursor: z.string().max(500).optional(),
      })
      .strict(),
  ).returns<AuditPage>(),
  'audit.verify': procedure(z.object({}).strict()).returns<AuditVerification>(),
}
