import { z } from 'zod'
import { procedure } from './define'

export type AuditAction =
  | 'vault.create'
  | 'vault.unlock'
  | 'vault.unlock_failed'
  | 'vault.lock'
  | 'vault.password_change'
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
  | 'policy.set'
  | 'policy.remove'
  | 'settings.change'

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

export interface AuditVerification {
  ok: boolean
  checked: number
  /** The seq of the first entry whose hash or link does not match. */
  brokenAt?: number
}

export const auditProcedures = {
  'audit.list': procedure(
    z
      .object({
        entityId: z.string().min(1).max(200).optional(),
        limit: z.number().int().min(1).max(100).default(50),
        cursor: z.string().max(500).optional(),
      })
      .strict(),
  ).returns<AuditPage>(),
  'audit.verify': procedure(z.object({}).strict()).returns<AuditVerification>(),
}
