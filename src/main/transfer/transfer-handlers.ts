import { readFileSync } from 'node:fs'
import type { Handlers } from '../api/router'
import type { ParsedInputOf, Procedures } from '../../shared/contract'
import { TRANSFER_CHUNK_BYTES } from '../../shared/contract/transfer'
import { AppError } from '../../shared/errors'
import type { Clock } from '../adapters/clock'
import { createConnectionsRepository } from '../connections/repository'
import type { ConnectionsService } from '../connections/service'
import { createRepositoryAccess } from '../vault/repository-access'
import type { VaultSession } from '../vault/session'
import type { VaultManager } from '../vault/vault-manager'
import type { Backups } from './backup'
import { planImport } from './import-plan'
import { readAllForExport, renderExport } from './plaintext-export'
import type { Staging } from './staging'

type ImportInput = ParsedInputOf<Procedures['import.preview']>

export interface TransferDependencies {
  vault: VaultManager
  connections: ConnectionsService
  backups: Backups
  staging: Staging
  clock: Clock
  /** The export asks for the master password again, as the backup does. */
  checkPassword(password: string): Promise<void>
  /** INTEGRITY when a row's identity was edited in the file (connections/row-integrity.ts). */
  assertRowIntegrity(session: VaultSession, connectionId: string): void
}

type TransferProcedure =
  | 'backup.create'
  | 'backup.restore'
  | 'transfer.upload'
  | 'transfer.download'
  | 'transfer.discard'
  | 'export.plaintext'
  | 'import.preview'
  | 'import.apply'

export function transferHandlers(deps: TransferDependencies): Pick<Handlers, TransferProcedure> {
  const withVault = createRepositoryAccess(() => deps.vault.requireSession(), createConnectionsRepository)

  function sourceText(input: ImportInput): string {
    if ('text' in input.source) return input.source.text
    return readFileSync(deps.staging.pathOf(input.source.transferId), 'utf8')
  }

  function plan(input: ImportInput) {
    const text = sourceText(input)
    return withVault((session, repository) =>
      planImport(session, repository, input.format, text, { pieceName: input.pieceName }, deps.clock.now()),
    )
  }

  return {
    'backup.create': (input, context) => deps.backups.create(input.password, context.origin),
    'backup.restore': (input, context) =>
      deps.backups.restore(input.transferId, input.password, context.origin),
    'transfer.upload': (input) => {
      const bytes = Buffer.from(input.data, 'base64')
      if (bytes.length > TRANSFER_CHUNK_BYTES)
        throw new AppError('VALIDATION', { message: 'A chunk holds at most 2 MiB.' })
      const transferId = input.transferId ?? deps.staging.create().id
      return { transferId, size: deps.staging.append(transferId, bytes) }
    },
    'transfer.download': (input) => {
      const { data, size } = deps.staging.read(input.transferId, input.offset, input.length)
      return { data: data.toString('base64'), size, done: input.offset + data.length >= size }
    },
    'transfer.discard': (input) => ({ discarded: deps.staging.discard(input.transferId) }),
    'export.plaintext': async (input, context) => {
      deps.vault.requireSession()
      await deps.checkPassword(input.password)
      const exportedAt = new Date(deps.clock.now()).toISOString()
      return withVault((session, repository) =>
        session.transaction(() => {
          const connections = readAllForExport(session, repository, deps.assertRowIntegrity)
          const withoutValue = connections.filter((connection) => connection.value === undefined).length
          session.audit({
            action: 'connection.export',
            origin: context.origin,
            details: { format: input.format, connections: connections.length, withoutValue, plaintext: true },
          })
          return {
            fileName:
              input.format === 'env'
                ? 'latchkey-export.env'
                : `latchkey-export-${exportedAt.slice(0, 10)}.json`,
            text: renderExport(input.format, connections, exportedAt),
            connections: connections.length,
            withoutValue,
          }
        }),
      )
    },
    'import.preview': (input) => plan(input).plan,
    'import.apply': (input, context) => {
      // Planned again and written without yielding: nothing can change the vault in between.
      const { plan: current, upserts } = plan(input)
      if (current.digest !== input.digest) {
        throw new AppError('CONFLICT', {
          message:
            'The vault or the file changed since the preview. Preview the import again, then apply it.',
          entityType: 'import',
          entityId: input.digest,
        })
      }
      const { counts } = current
      withVault((session) =>
        session.transaction(() => {
          if (upserts.length > 0) deps.connections.saveBatch(upserts, context.origin)
          session.audit({
            action: 'connection.import',
            origin: context.origin,
            details: {
              format: input.format,
              created: counts.create,
              updated: counts.update,
              skipped: counts.skip,
            },
          })
        }),
      )
      // An uploaded import file is plaintext: it leaves the data folder as soon as it is imported.
      if ('transferId' in input.source) deps.staging.discard(input.source.transferId)
      return { created: counts.create, updated: counts.update, skipped: counts.skip }
    },
  }
}
