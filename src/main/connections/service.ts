import type {
  AppConnection,
  AuditAction,
  ConnectionFacets,
  ConnectionOwner,
  ConnectionValue,
  FlowReference,
  Page,
  ParsedInputOf,
  Procedures,
} from '../../shared/contract'
import { VALUE_MAX_BYTES } from '../../shared/contract/connections'
import { enumValueWords } from '../../shared/contract/field-words'
import {
  AppError,
  notFoundError,
  validationError,
  type ErrorCode,
  type ErrorParamsByCode,
} from '../../shared/errors'
import { defaultOrderOf } from '../../shared/contract/connections'
import type { EventBus } from '../api/event-bus'
import { withAuditBatch, type AuditRecord } from '../audit/audit-log'
import { createRepositoryAccess } from '../vault/repository-access'
import type { VaultSession } from '../vault/session'
import { readSettings } from '../vault/settings-store'
import { expiringSoonMsOf } from '../../shared/connection-health'
import {
  createCursorCodec,
  fingerprintOf,
  keysetPage,
  type CursorDirection,
  type CursorPosition,
} from './cursor'
import {
  countQuery,
  cursorKeyOf,
  existsBeyondQuery,
  pageIdsQuery,
  sliceIdsQuery,
  type ListFilter,
} from './list-query'
import { createListIndexes, type ListIndexes } from './list-index-source'
import { readPageRows } from './page-rows'
import { facetsQueries, facetsOf } from './facets'
import { pickCopyField } from './copy-field'
import {
  createConnectionsRepository,
  writtenProjectIds,
  writtenRow,
  type ConnectionsRepository,
  type ConnectionWrite,
} from './repository'
import { seedFieldsOf } from './seed-shape'
import { remoteIdOf, toConnection, type ConnectionRow } from './rows'
import { normalizeValue, tokenExpiryMs, valueOrDefault } from './value'
import { assertRowIntegrity } from './row-integrity'

type Input<Name extends keyof Procedures> = ParsedInputOf<Procedures[Name]>

export type RandomBytes = (size: number) => Buffer

export interface ConnectionsDependencies {
  /** The unlocked vault; throws VAULT_LOCKED when there is none. */
  session: () => VaultSession
  clock: { now(): number }
  random: RandomBytes
  /** The list in memory; the core drops it when the vault locks. */
  listIndexes?: ListIndexes
  /**
   * Where `connections.changed` goes. The service emits it itself, once its transaction has
   * committed, so every writer (the router, the OAuth refresher, a sync engine) keeps windows
   * current, and a write that rolls back announces nothing. Omitted (a bench, a seeder): no events.
   */
  events?: Pick<EventBus, 'emit'>
}

type ChangeKind = 'created' | 'updated' | 'deleted' | 'replaced'

export const ENTITY_TYPE = 'app_connection'
/** Runs a synchronous piece of work against the unlocked vault with this domain's statements. */
export function createConnectionsService(dependencies: ConnectionsDependencies) {
  const { clock, random } = dependencies
  const withVault = createRepositoryAccess(dependencies.session, createConnectionsRepository)
  const cursors = createCursorCodec(random(32))
  const listIndexes = dependencies.listIndexes ?? createListIndexes()

  function list(input: Input<'connections.list'>): Page<AppConnection> {
    return withVault((session, repository) => {
      const filter = listFilterOf(input, clock.now(), soonMsOf(session, input))
      // Bound to the filter, not to the instant its expiry was judged at nor to the look-ahead
      // setting: the next page judges again.
      const fingerprint = fingerprintOf({ ...filter, now: undefined, soonMs: undefined })
      const cursor = input.cursor ? cursors.decode(input.cursor, 'connections', fingerprint) : null
      const direction: CursorDirection = cursor?.direction ?? 'next'
      const position = cursor?.position ?? null
      // SQL answers inside a transaction (so the list includes its own writes) and while the
      // index is first read.
      const index = listIndexes.at(session)
      const ids = index
        ? index.page(filter, direction, position, input.limit + 1)
        : repository
            .all<{ id: string }>(pageIdsQuery(filter, direction, position, input.limit + 1))
            .map((row) => row.id)
      const { rows, related } = readPageRows(session.db, ids, index ? index.rowidsOf(ids) : null)
      const page = keysetPage({
        rows,
        limit: input.limit,
        direction,
        fromCursor: cursor !== null,
        positionOf: (row) => ({ key: cursorKeyOf(filter.sort, row), id: row.id }),
        existsBeyond: (way, at) =>
          index
            ? index.existsBeyond(filter, way, at)
            : repository.get<{ found: number }>(existsBeyondQuery(filter, way, at))?.found === 1,
        encode: (way, at) => cursors.encode('connections', fingerprint, way, at),
      })
      return {
        data: page.rows.map((row) => toConnection(row, related)),
        next: page.next,
        previous: page.previous,
      }
    })
  }

  function slice(input: Input<'connections.slice'>): { data: AppConnection[]; total: number } {
    return withVault((session, repository) => {
      const filter = listFilterOf(input, clock.now(), soonMsOf(session, input))
      const index = listIndexes.at(session)
      const { total, ids } = index
        ? index.slice(filter, input.offset, input.limit)
        : {
            total: repository.get<{ total: number }>(countQuery(filter))?.total ?? 0,
            ids: repository
              .all<{ id: string }>(sliceIdsQuery(filter, input.offset, input.limit))
              .map((row) => row.id),
          }
      const { rows, related } = readPageRows(session.db, ids, index ? index.rowidsOf(ids) : null)
      return { data: rows.map((row) => toConnection(row, related)), total }
    })
  }

  /**
   * From the list in memory (one pass, kept until a change). Inside a transaction, by SQL. While the
   * list is first read after opening, partial and empty: counting by SQL reads the whole table (a
   * second and more at 100k, with the main process answering nothing else), which is what the
   * first rows on screen would wait behind; the picker asks again a moment later.
   */
  function facets(): ConnectionFacets {
    return withVault((session, repository) => {
      const index = listIndexes.at(session)
      if (index) return index.facets()
      if (session.db.inTransaction) return facetsOf(facetsQueries.map((sql) => repository.all(sql)))
      return { partial: true, total: 0, pieces: [], projects: [], remotes: [] }
    })
  }

  function get(id: string): AppConnection {
    return withVault((_session, repository) => readConnection(repository, id))
  }

  function save(
    input: Input<'connections.upsert'> | Input<'connections.create'>,
    mode: 'upsert' | 'create',
    origin: string,
  ): { connection: AppConnection; created: boolean } {
    const nowMs = clock.now()
    const value = valueToStore(input, nowMs)
    return withVault((session, repository) =>
      session.transaction(() => {
        const result = writeConnection(session, repository, input, value, mode, origin, nowMs)
        addFlowIds(repository, [result])
        return result
      }),
    )
  }

  /**
   * connections.upsertBatch: every item as save() would upsert it, in order, in one transaction
   * (no savepoint per item), so any failure leaves nothing behind. A failure names its item.
   */
  function saveBatch(
    items: Input<'connections.upsert'>[],
    origin: string,
  ): { results: { connection: AppConnection; created: boolean }[] } {
    const nowMs = clock.now()
    const values = items.map((item, index) => forItem(index, () => valueToStore(item, nowMs)))
    return withVault((session, repository) =>
      session.transaction(() => {
        // One head read for the batch's audit entries: nothing here rolls back part of the batch.
        // Each remote is looked up once: nothing in the batch removes one.
        const remotes = new Set<string>()
        const results = withAuditBatch(session.db, () =>
          items.map((item, index) =>
            forItem(index, () =>
              writeConnection(session, repository, item, values[index]!, 'upsert', origin, nowMs, remotes),
            ),
          ),
        )
        addFlowIds(repository, results)
        return { results }
      }),
    )
  }

  /**
   * One connection's row, projects, sealed value, audit entry and outbox entry, inside the caller's
   * transaction. The answer is built from what was written instead of read back; its flowIds are
   * left empty (a write never changes them) for addFlowIds to fill in.
   */
  function writeConnection(
    session: VaultSession,
    repository: ConnectionsRepository,
    input: Input<'connections.upsert'> | Input<'connections.create'>,
    value: ValueToStore,
    mode: 'upsert' | 'create',
    origin: string,
    nowMs: number,
    knownRemotes?: Set<string>,
  ): { connection: AppConnection; created: boolean } {
    const remoteKey = requireRemote(repository, input.remoteId, knownRemotes)
    const existing = input.externalId
      ? repository.byNaturalKey(remoteKey, input.pieceName, input.externalId)
      : undefined
    if (existing && mode === 'create') {
      throw new AppError('CONFLICT', {
        message: `A ${input.pieceName} connection with the external id "${input.externalId}" already exists. Update it, or choose another external id.`,
        entityType: ENTITY_TYPE,
        entityId: existing.id,
      })
    }
    const id = existing?.id ?? newConnectionId(random, nowMs)
    const projectIds = writtenProjectIds(input.projectIds)
    const write: ConnectionWrite = {
      id,
      // Sealed before the row is written: the value goes into the row, in the same statement.
      envelope: session.seal('connection-value', id, value.plaintext),
      keyVersion: session.keyVersion,
      remoteKey,
      // Weavz makes externalId optional; the natural key needs one, so the id stands in.
      externalId: input.externalId ?? id,
      displayName: input.displayName,
      type: input.type,
      pieceName: input.pieceName,
      pieceVersion: input.pieceVersion ?? existing?.piece_version ?? null,
      scope: input.scope,
      metadata: input.metadata !== undefined ? jsonOrNull(input.metadata) : (existing?.metadata ?? null),
      preSelect: input.preSelectForNewProjects ? 1 : 0,
      syncState: syncStateFor(remoteKey),
      nowMs,
      tokenExpiresMs: value.tokenExpiresMs,
      // As projectIdsJson writes it, from the list the answer shows too.
      projectIds: JSON.stringify(projectIds),
    }
    const connection = toConnection(writtenRow(write, existing), {
      projectIds: new Map([[id, projectIds]]),
      flowIds: new Map(),
    })
    // The entry first: the row's write records it as the row's newest, in the same statement. A
    // new row's id is fresh (newConnectionId), so no entry can name it yet.
    const auditHead = session.audit(
      {
        action: existing ? 'connection.update' : 'connection.create',
        origin,
        entityType: ENTITY_TYPE,
        entityId: id,
        // In key order: the audit log's canonical form as written, with no sorted copy per entry.
        details: {
          credentialsChanged: true,
          displayName: connection.displayName,
          externalId: connection.externalId,
          pieceName: connection.pieceName,
          remoteId: connection.remoteId,
          type: connection.type,
        },
      },
      { previous: existing ? (existing.audit_head ?? undefined) : null },
    )
    if (existing) repository.rewrite(write, existing, auditHead)
    else repository.insert(write, auditHead)
    queueSync(repository, connection, 'upsert', nowMs, seedFieldsOf(connection))
    return { connection, created: !existing }
  }

  function update(input: Input<'connections.update'>, origin: string): AppConnection {
    return withVault((session, repository) =>
      session.transaction(() => {
        const row = requireRow(repository, input.id)
        if (input.displayName === undefined && input.metadata === undefined)
          return readConnection(repository, row.id)
        const nowMs = clock.now()
        repository.rename(
          row.id,
          input.displayName ?? row.display_name,
          input.metadata !== undefined ? jsonOrNull(input.metadata) : row.metadata,
          syncStateFor(row.remote_key),
          nowMs,
        )
        const connection = readConnection(repository, row.id)
        session.audit({
          action: 'connection.update',
          origin,
          entityType: ENTITY_TYPE,
          entityId: row.id,
          details: {
            displayName: connection.displayName,
            previousDisplayName: row.display_name,
            metadataChanged: input.metadata !== undefined,
            credentialsChanged: false,
          },
        })
        queueSync(repository, connection, 'update', nowMs, {
          externalId: connection.externalId,
          pieceName: connection.pieceName,
          displayName: connection.displayName,
          metadata: connection.metadata,
        })
        return connection
      }),
    )
  }

  /**
   * connections.rotate: a new value for the connection as it stands, nothing else changed. It goes
   * through the upsert's own rewrite, so it means what a fresh upsert means: ACTIVE again (a
   * MISSING placeholder gets its credentials back, an ERROR is cleared), refresh attempts reset,
   * last_rotated now, and a push queued in the same transaction when there is a remote.
   */
  function rotate(input: Input<'connections.rotate'>, origin: string): AppConnection {
    const nowMs = clock.now()
    const value = valueToStore(input, nowMs)
    return withVault((session, repository) =>
      session.transaction(() => {
        const row = requireRow(repository, input.id)
        if (input.value.type !== row.type) {
          // Worded as the upsert's own refusal (the contract's checkValueMatchesType).
          const message = `The value is for a “${enumValueWords(input.value.type)}” connection, but this connection's type is “${enumValueWords(row.type)}”; they must be equal.`
          throw validationError(message, [{ path: 'value.type', message }])
        }
        const existing = repository.byNaturalKey(row.remote_key, row.piece_name, row.external_id)
        if (!existing) throw notFoundError(ENTITY_TYPE, row.id, 'Connection not found')
        // The entry first, as writeConnection's: the rewrite records it as the row's newest.
        const auditHead = session.audit(
          rowAudit(row, 'connection.rotate', origin, {
            type: row.type,
            remoteId: remoteIdOf(row.remote_key),
            previousStatus: row.status,
            credentialsChanged: true,
          }),
          { previous: existing.audit_head ?? undefined },
        )
        repository.rewrite(
          {
            id: row.id,
            envelope: session.seal('connection-value', row.id, value.plaintext),
            keyVersion: session.keyVersion,
            remoteKey: row.remote_key,
            externalId: row.external_id,
            displayName: row.display_name,
            type: row.type,
            pieceName: row.piece_name,
            pieceVersion: row.piece_version,
            scope: row.scope,
            metadata: row.metadata,
            preSelect: row.pre_select,
            syncState: syncStateFor(row.remote_key),
            nowMs,
            tokenExpiresMs: value.tokenExpiresMs,
            projectIds: existing.project_ids,
          },
          existing,
          auditHead,
        )
        const connection = readConnection(repository, row.id)
        queueSync(repository, connection, 'upsert', nowMs, seedFieldsOf(connection))
        return connection
      }),
    )
  }

  /** Decrypts one value for an explicit user action, audited in the same transaction as the read. */
  function openValue(
    id: string,
    origin: string,
    action: 'connection.reveal' | 'connection.copy',
    pick: (value: ConnectionValue) => { details: Record<string, string> },
  ): { id: string; value: ConnectionValue } {
    return withVault((session, repository) =>
      session.transaction(() => {
        const row = requireRow(repository, id)
        assertRowIntegrity(session, row.id)
        const envelope = repository.readValue(row.id)
        if (!envelope) {
          throw notFoundError(
            'connection_value',
            row.id,
            row.status === 'MISSING'
              ? 'This connection is a MISSING placeholder: it has no value to reveal.'
              : 'This connection has no value stored here; the remote holds its secret.',
          )
        }
        const value = JSON.parse(session.open('connection-value', row.id, envelope)) as ConnectionValue
        // Chosen before the audit entry is written, so a refused field leaves no entry behind.
        const { details } = pick(value)
        session.audit({
          action,
          origin,
          entityType: ENTITY_TYPE,
          entityId: row.id,
          details: { displayName: row.display_name, pieceName: row.piece_name, type: row.type, ...details },
        })
        return { id: row.id, value }
      }),
    )
  }

  function reveal(id: string, origin: string): { id: string; value: ConnectionValue } {
    return openValue(id, origin, 'connection.reveal', () => ({ details: {} }))
  }

  /** The text of one field of the value, for the clipboard; the audit entry names the field, never its text. */
  function copyText(id: string, field: string | undefined, origin: string): string {
    let text = ''
    openValue(id, origin, 'connection.copy', (value) => {
      const picked = pickCopyField(value, field)
      text = picked.text
      return { details: { field: picked.field } }
    })
    return text
  }

  function remove(
    input: Input<'connections.delete'>,
    origin: string,
  ): { deleted: true; placeholder: AppConnection | null } {
    return withVault((session, repository) =>
      session.transaction(() => {
        const row = requireRow(repository, input.id)
        const flows = repository.flowCounts(row.id)
        if (flows.active > 0 && !input.force) {
          throw new AppError('VALIDATION', {
            message: `Connection is used in ${flows.active} active ${flows.active === 1 ? 'flow' : 'flows'}. Please remove it from flows first.`,
            entityType: ENTITY_TYPE,
            entityId: row.id,
            activeFlows: flows.active,
            // Read only on this refusal path, so a delete that goes ahead pays nothing for it.
            flowIds: repository
              .flowsOf(row.id)
              .filter((flow) => flow.active)
              .map((flow) => flow.flowId),
          })
        }
        const nowMs = clock.now()
        // A referenced connection leaves a MISSING placeholder behind, so its flows keep pointing at
        // something that says what is missing (the seed's meaning of MISSING); deleting the
        // placeholder itself removes it for good.
        const keepPlaceholder = flows.total > 0 && !(row.status === 'MISSING' && row.has_value === 0)
        if (keepPlaceholder) {
          repository.deleteValue(row.id)
          repository.markMissing(
            row.id,
            `Deleted while ${flows.total} ${flows.total === 1 ? 'flow' : 'flows'} referenced it.`,
            syncStateFor(row.remote_key),
            nowMs,
          )
        } else {
          repository.deleteEverything(row.id)
        }
        session.audit(
          rowAudit(row, 'connection.delete', origin, {
            forced: input.force,
            activeFlows: flows.active,
            placeholder: keepPlaceholder,
          }),
        )
        if (row.remote_key !== '') {
          repository.addToOutbox({
            remoteId: row.remote_key,
            connectionId: row.id,
            operation: 'delete',
            payload: { externalId: row.external_id, pieceName: row.piece_name },
            nowMs,
          })
        }
        return {
          deleted: true as const,
          placeholder: keepPlaceholder ? readConnection(repository, row.id) : null,
        }
      }),
    )
  }

  function replace(input: Input<'connections.replace'>, origin: string): { movedFlowReferences: number } {
    return withVault((session, repository) =>
      session.transaction(() => {
        const source = requireRow(repository, input.sourceAppConnectionId)
        const target = requireRow(repository, input.targetAppConnectionId)
        if (source.id === target.id) throw validationError('Cannot replace a connection with itself.')
        if (source.piece_name !== target.piece_name) {
          throw validationError('Connections must be from the same app.')
        }
        // A remote's flows can only reference that remote's connections.
        if (source.remote_key !== target.remote_key) {
          throw validationError('Connections must belong to the same remote (or both be local).')
        }
        const moved = repository.moveFlows(source.id, target.id)
        const nowMs = clock.now()
        session.audit({
          action: 'connection.replace',
          origin,
          entityType: ENTITY_TYPE,
          entityId: source.id,
          details: {
            sourceId: source.id,
            targetId: target.id,
            pieceName: source.piece_name,
            movedFlowReferences: moved,
          },
        })
        if (source.remote_key !== '') {
          repository.addToOutbox({
            remoteId: source.remote_key,
            connectionId: source.id,
            operation: 'replace',
            payload: {
              sourceExternalId: source.external_id,
              targetExternalId: target.external_id,
              targetId: target.id,
              pieceName: source.piece_name,
            },
            nowMs,
          })
        }
        return { movedFlowReferences: moved }
      }),
    )
  }

  function owners(input: Input<'connections.owners'>): Page<ConnectionOwner> {
    return withVault((_session, repository) => {
      const fingerprint = fingerprintOf({})
      const cursor = input.cursor ? cursors.decode(input.cursor, 'owners', fingerprint) : null
      const direction = cursor?.direction ?? 'next'
      const rows = repository.owners(direction, cursor ? String(cursor.position.key) : null, input.limit + 1)
      const at = (email: string): CursorPosition => ({ key: email, id: email })
      const page = keysetPage({
        rows,
        limit: input.limit,
        direction,
        fromCursor: cursor !== null,
        positionOf: (row) => at(row.email),
        existsBeyond: (way, position) => repository.owners(way, String(position.key), 1).length > 0,
        encode: (way, position) => cursors.encode('owners', fingerprint, way, position),
      })
      return {
        data: page.rows.map((row) => ({
          email: row.email,
          firstName: row.first_name ?? '',
          lastName: row.last_name ?? '',
        })),
        next: page.next,
        previous: page.previous,
      }
    })
  }

  function flows(connectionId: string): FlowReference[] {
    return withVault((_session, repository) => {
      const row = requireRow(repository, connectionId)
      return repository.flowsOf(row.id)
    })
  }

  function linkFlow(reference: FlowReference): FlowReference {
    return withVault((session, repository) =>
      session.transaction(() => {
        requireRow(repository, reference.connectionId)
        repository.linkFlow(reference)
        return reference
      }),
    )
  }

  function unlinkFlow(flowId: string, connectionId: string): { removed: boolean } {
    return withVault((session, repository) =>
      session.transaction(() => ({ removed: repository.unlinkFlow(flowId, connectionId) })),
    )
  }

  /**
   * `write` with its change announced once it has returned: each write runs and commits its own
   * transaction inside, so returning means committed, and a throw (a rollback) announces nothing.
   * `connections`: the changed connections as committed, when the write's answer holds them; they
   * go to listeners in this process beside the event (EventDetail), never into its payload.
   */
  function announced<Args extends unknown[], Result>(
    write: (...args: Args) => Result,
    change: (
      result: Result,
      ...args: Args
    ) => { ids: string[]; kind: ChangeKind; connections?: readonly AppConnection[] } | null,
  ): (...args: Args) => Result {
    return (...args) => {
      const result = write(...args)
      const announcement = change(result, ...args)
      if (announcement && announcement.ids.length > 0) {
        const { ids, kind, connections } = announcement
        dependencies.events?.emit(
          'connections.changed',
          { ids, kind },
          connections ? { connections } : undefined,
        )
      }
      return result
    }
  }

  return {
    list,
    slice,
    facets,
    get,
    save: announced(save, (result) => ({
      ids: [result.connection.id],
      kind: result.created ? 'created' : 'updated',
      connections: [result.connection],
    })),
    // One event for the whole batch, after its one commit: 'created' when every connection in it is new.
    saveBatch: announced(saveBatch, (result) => {
      // Whether each connection is new is what its first item answered (a repeat updates it).
      const isNew = new Map<string, boolean>()
      for (const { connection, created } of result.results) {
        if (!isNew.has(connection.id)) isNew.set(connection.id, created)
      }
      return {
        ids: [...isNew.keys()],
        kind: [...isNew.values()].every(Boolean) ? 'created' : 'updated',
        // In item order: a connection written twice in one batch ends as its last item left it.
        connections: result.results.map((entry) => entry.connection),
      }
    }),
    update: announced(update, (connection) => ({
      ids: [connection.id],
      kind: 'updated',
      connections: [connection],
    })),
    rotate: announced(rotate, (connection) => ({
      ids: [connection.id],
      kind: 'updated',
      connections: [connection],
    })),
    // Reading a secret changes nothing another window shows, so no event.
    reveal,
    copyText,
    remove: announced(remove, (result, input) => ({
      ids: [input.id],
      kind: result.placeholder ? 'updated' : 'deleted',
    })),
    replace: announced(replace, (_result, input) => ({
      ids: [input.sourceAppConnectionId, input.targetAppConnectionId],
      kind: 'replaced',
    })),
    owners,
    flows,
    linkFlow: announced(linkFlow, (reference) => ({ ids: [reference.connectionId], kind: 'updated' })),
    unlinkFlow: announced(unlinkFlow, (result, _flowId, connectionId) =>
      result.removed ? { ids: [connectionId], kind: 'updated' } : null,
    ),
  }
}

export type ConnectionsService = ReturnType<typeof createConnectionsService>

/** The filter and sort a cursor is bound to. limit is not part of it: a page size may change between pages. */
function listFilterOf(
  input: Input<'connections.slice'> | Input<'connections.list'>,
  nowMs: number,
  soonMs: number | undefined,
): ListFilter {
  const statuses = input.status ? [...new Set(input.status)].sort() : undefined
  const expiry = input.expiry ? [...new Set(input.expiry)].sort() : undefined
  return {
    pieceName: input.pieceName,
    displayName: input.displayName,
    // All three statuses is no filter at all.
    status: statuses && statuses.length < 3 ? statuses : undefined,
    scope: input.scope,
    projectId: input.projectId,
    remoteId: input.remoteId,
    expiry,
    now: expiry ? nowMs : undefined,
    soonMs: expiry?.includes('expiring') ? soonMs : undefined,
    sort: input.sort,
    order: input.order ?? defaultOrderOf(input.sort),
  }
}

/**
 * The settings' look-ahead for 'expiring', read only when the filter asks for it (a handful of
 * settings rows; the filter itself stays a threshold compare per row).
 */
function soonMsOf(
  session: VaultSession,
  input: Input<'connections.slice'> | Input<'connections.list'>,
): number | undefined {
  if (!input.expiry?.includes('expiring')) return undefined
  return expiringSoonMsOf(readSettings(session.db).expiringSoonDays)
}

/** An audit entry about one connection, named as its row names it, then `details`. */
function rowAudit(
  row: ConnectionRow,
  action: AuditAction,
  origin: string,
  details: NonNullable<AuditRecord['details']>,
): AuditRecord {
  return {
    action,
    origin,
    entityType: ENTITY_TYPE,
    entityId: row.id,
    details: {
      displayName: row.display_name,
      pieceName: row.piece_name,
      externalId: row.external_id,
      ...details,
    },
  }
}

function requireRow(repository: ConnectionsRepository, id: string): ConnectionRow {
  const row = repository.byId(id)
  if (!row) throw notFoundError(ENTITY_TYPE, id, 'Connection not found')
  return row
}

function readConnection(repository: ConnectionsRepository, id: string): AppConnection {
  const row = requireRow(repository, id)
  return toConnection(row, repository.related([row.id]))
}

interface ValueToStore {
  plaintext: string
  tokenExpiresMs: number | null
}

/** The value as it will be sealed; checked before any transaction opens, so a refusal writes nothing. */
function valueToStore(input: { value?: ConnectionValue | undefined }, nowMs: number): ValueToStore {
  const value = normalizeValue(valueOrDefault(input.value), nowMs)
  const plaintext = JSON.stringify(value)
  // No credential is this big, and the vault should not hold blobs.
  if (Buffer.byteLength(plaintext) > VALUE_MAX_BYTES) {
    const message = `The value is larger than ${VALUE_MAX_BYTES / 1024} KiB.`
    throw validationError(message, [{ path: 'value', message }])
  }
  return { plaintext, tokenExpiresMs: tokenExpiryMs(value) }
}

/** Fills in the flowIds of connections that existed before this write, in one query. */
function addFlowIds(
  repository: ConnectionsRepository,
  results: { connection: AppConnection; created: boolean }[],
): void {
  const updated = results.filter((result) => !result.created).map((result) => result.connection)
  if (updated.length === 0) return
  const flowIds = repository.flowIds([...new Set(updated.map((connection) => connection.id))])
  for (const connection of updated) connection.flowIds = [...(flowIds.get(connection.id) ?? [])]
}

/** Runs one item of a batch; an AppError it throws says which item (message, `item`, issue paths). */
function forItem<T>(index: number, work: () => T): T {
  try {
    return work()
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    throw itemError(error, index)
  }
}

/** The same error, with the same code and typed params, naming the batch item it came from. */
function itemError(error: AppError, index: number): AppError {
  const { message, issues, ...rest } = error.params
  const prefixed =
    issues?.map((issue) => ({
      path: issue.path ? `items.${index}.${issue.path}` : `items.${index}`,
      message: issue.message,
    })) ?? (error.code === 'VALIDATION' ? [{ path: `items.${index}`, message }] : undefined)
  // Only the message, `item` and issue paths change, so the params still fit the same code.
  const params = {
    ...rest,
    message: `Item ${index}: ${message} Nothing was saved.`,
    item: index,
    ...(prefixed ? { issues: prefixed } : {}),
  } as ErrorParamsByCode[ErrorCode]
  return new AppError(error.code, params)
}

/** The remote_key for a remoteId, refusing one that names no remote; `known`: ids already found. */
function requireRemote(
  repository: ConnectionsRepository,
  remoteId: string | null,
  known?: Set<string>,
): string {
  if (remoteId === null) return ''
  if (known?.has(remoteId)) return remoteId
  if (!repository.remoteExists(remoteId)) {
    throw new AppError('VALIDATION', {
      message: `There is no remote with the id "${remoteId}".`,
      issues: [{ path: 'remoteId', message: 'No such remote.' }],
    })
  }
  known?.add(remoteId)
  return remoteId
}

function syncStateFor(remoteKey: string): 'LOCAL' | 'PENDING' {
  return remoteKey === '' ? 'LOCAL' : 'PENDING'
}

function queueSync(
  repository: ConnectionsRepository,
  connection: AppConnection,
  operation: 'upsert' | 'update',
  nowMs: number,
  payload: Record<string, unknown>,
): void {
  if (connection.remoteId === null) return
  repository.addToOutbox({
    remoteId: connection.remoteId,
    connectionId: connection.id,
    operation,
    payload,
    nowMs,
  })
}

function jsonOrNull(value: Record<string, unknown> | null): string | null {
  return value === null ? null : JSON.stringify(value)
}

/** base64url's 64 characters in ASCII order, so fixed-width numbers written with them sort as they count. */
const SORTABLE_DIGITS = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz'

/**
 * `conn_`, the creation time (milliseconds, 8 sortable digits) and 96 random bits. Connections
 * created together get neighbouring ids, so every index keyed on the id (the row's primary key,
 * connection_projects, audit_log_by_entity) takes a new one on a page the last
 * write already touched instead of on a random page of a large index: fewer pages read, dirtied
 * and written to the WAL per insert (bench/connections.bench.ts, upsert). An id is no secret, and
 * the creation time is in every answer anyway.
 */
export function newConnectionId(random: RandomBytes, nowMs: number): string {
  let time = ''
  let rest = Math.max(0, Math.floor(nowMs))
  for (let digit = 0; digit < 8; digit += 1) {
    time = SORTABLE_DIGITS[rest % 64]! + time
    rest = Math.floor(rest / 64)
  }
  return `conn_${time}${random(12).toString('base64url')}`
}
