import { z } from 'zod'
import type { ConnectionType } from './connections'
import { procedure } from './define'

// Backup, restore, plaintext export and import. Files cross every transport the same way: main
// keeps a staged transfer file (an encrypted backup, or an upload) under an opaque id, and the
// renderer or the CLI moves its bytes in chunks small enough for any transport's body limit
// (browser mode refuses bodies over 4 MiB). No host needs a route or a dialog of its own.

/** Bytes per chunk, before base64: 2 MiB is 2.7 MiB of base64, under browser mode's 4 MiB body limit. */
export const TRANSFER_CHUNK_BYTES = 2 * 1024 * 1024
/** An import's text sent inline; larger files go through transfer.upload. */
export const IMPORT_TEXT_MAX_CHARS = 3 * 1024 * 1024

const transferId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'This transfer id is not one Latchkey made.')
const base64Chunk = z
  .string()
  .max(Math.ceil(TRANSFER_CHUNK_BYTES / 3) * 4, 'A chunk holds at most 2 MiB.')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'A chunk must be base64.')
const password = z.string().min(1, 'Enter your master password.').max(1024)

export const IMPORT_FORMATS = ['latchkey-json', 'env', 'bitwarden-json', 'keepassxc-csv'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]
export const EXPORT_FORMATS = ['latchkey-json', 'env'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** What a person picks from; the file's own name decides nothing. */
export const IMPORT_FORMAT_LABELS: Record<ImportFormat, string> = {
  'latchkey-json': 'Latchkey or connections JSON',
  env: '.env file',
  'bitwarden-json': 'Bitwarden JSON export (unencrypted)',
  'keepassxc-csv': 'KeePassXC CSV export',
}

/** The sentence the export confirmation shows, and the CLI prints, before any plaintext is written. */
export const PLAINTEXT_EXPORT_RISK =
  'The exported file holds every secret in plain text. Anyone who can read the file can use your connections: keep it off shared folders, backups and chat, and delete it when you are done.'

const importSource = z.union([
  z
    .object({
      text: z.string().max(IMPORT_TEXT_MAX_CHARS, 'The file is larger than 3 MiB: upload it in chunks.'),
    })
    .strict(),
  z.object({ transferId }).strict(),
])

const importInput = z
  .object({
    format: z.enum(IMPORT_FORMATS),
    source: importSource,
    /**
     * The piece for entries whose format names none (.env lines, Bitwarden and KeePassXC entries);
     * a Bitwarden custom field named "pieceName" overrides it per entry.
     */
    pieceName: z.string().min(1).max(200).optional(),
  })
  .strict()

export type ImportAction = 'create' | 'update' | 'skip'

/** One entry of the file and what the import will do with it, and why. */
export interface ImportPlanItem {
  /** Where in the file: "connections[3]", "line 12", "row 7", "items[2]". */
  at: string
  action: ImportAction
  reason: string
  displayName: string
  pieceName: string
  externalId: string
  type: ConnectionType | null
  /** The connection an update or an unchanged skip is about. */
  existingId: string | null
}

export interface ImportPlan {
  format: ImportFormat
  items: ImportPlanItem[]
  counts: Record<ImportAction, number>
  /**
   * Names this exact plan against the vault as it is now; import.apply refuses (CONFLICT) when the
   * plan it would run differs, so nothing is written that the person did not see.
   */
  digest: string
}

export interface BackupFile {
  transferId: string
  fileName: string
  size: number
  connections: number
}

export interface StagedFile {
  transferId: string
  size: number
}

export const transferProcedures = {
  /**
   * The whole vault (connections, secrets, audit log, policies, remotes, settings) into an encrypted
   * file, staged for download. Asks for the master password: the file opens with it anywhere.
   */
  'backup.create': procedure(z.object({ password }).strict()).returns<BackupFile>(),
  /**
   * Replaces this vault with an uploaded backup, after checking the password and every byte; a wrong
   * password (AUTHENTICATION) or a damaged file (INTEGRITY) changes nothing. The vault it replaces
   * is kept beside it. The restored vault is locked: unlock it with the backup's password.
   */
  'backup.restore': procedure(z.object({ transferId, password }).strict()).returns<{
    connections: number
    createdAt: string
    previousVaultKeptAs: string | null
  }>(),
  /** Appends a chunk to a staged upload; without a transferId, starts one. */
  'transfer.upload': procedure(
    z.object({ transferId: transferId.optional(), data: base64Chunk }).strict(),
  ).returns<StagedFile>(),
  /** A chunk of a staged file, from offset. */
  'transfer.download': procedure(
    z
      .object({
        transferId,
        offset: z.number().int().min(0),
        length: z.number().int().min(1).max(TRANSFER_CHUNK_BYTES).default(TRANSFER_CHUNK_BYTES),
      })
      .strict(),
  ).returns<{ data: string; size: number; done: boolean }>(),
  'transfer.discard': procedure(z.object({ transferId }).strict()).returns<{ discarded: boolean }>(),
  /**
   * Every connection with its secret, as seed-shaped JSON or .env text. Only with the master
   * password and `acknowledgeRisk` (after the person read PLAINTEXT_EXPORT_RISK); audited.
   */
  'export.plaintext': procedure(
    z
      .object({
        format: z.enum(EXPORT_FORMATS),
        password,
        acknowledgeRisk: z.literal(true, {
          error: 'Confirm that you understand the file is not encrypted.',
        }),
      })
      .strict(),
  ).returns<{ fileName: string; text: string; connections: number; withoutValue: number }>(),
  /** What an import would create, update and skip, with reasons; writes nothing. */
  'import.preview': procedure(importInput).returns<ImportPlan>(),
  /** Runs the previewed plan in one transaction: every entry or none. */
  'import.apply': procedure(importInput.extend({ digest: z.string().min(1).max(200) }).strict()).returns<{
    created: number
    updated: number
    skipped: number
  }>(),
}
