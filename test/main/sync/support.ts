import type { AppConnection, Remote, SyncRunSummary } from '../../../src/shared/contract'
import type { Dialect } from '../../../src/main/sync/dialects/remote-client'
import type { CoreDependencies } from '../../../src/main/core'
import { createListIndexes } from '../../../src/main/connections/list-index-source'
import { createManualClock, type ManualClock } from '../../support/manual-clock'
import { startSyncServer, type SyncServer } from '../../support/sync-server'
import { createUnlockedTestCore, openUnlockedVault, type UnlockedTestCore } from '../../support/vault'

export const SLACK = '@activepieces/piece-slack'

export interface SyncHarness extends UnlockedTestCore {
  clock: ManualClock
  server: SyncServer
  remote: Remote
  events: { name: string; payload: unknown }[]
  /** A connection bound to the remote, through connections.upsert as the UI saves one. */
  save(externalId: string, overrides?: Record<string, unknown>): Promise<AppConnection>
  sync(): Promise<SyncRunSummary>
  /** Every connection of the vault, by externalId. */
  local(): Promise<Map<string, AppConnection>>
  outboxSize(): number
}

/**
 * A real core with an unlocked vault and a hand-driven clock (the automatic sync only runs when a
 * test advances it), a remote added through remotes.add against a real sync test server.
 */
export async function syncHarness(
  options: {
    dialect?: Dialect
    server?: SyncServer
    /** Opens the vault there (created there first when `create`); a temp dir otherwise. */
    dataDir?: string
    create?: boolean
    dependencies?: Partial<CoreDependencies>
  } = {},
): Promise<SyncHarness> {
  const dialect = options.dialect ?? 'activepieces'
  const server = options.server ?? (await startSyncServer({ dialect }))
  const clock = createManualClock(Date.UTC(2026, 0, 1))
  const coreOptions = {
    clock,
    dependencies: { listIndexes: createListIndexes({ schedule: null }), ...options.dependencies },
  }
  const base =
    options.dataDir && !options.create
      ? await openUnlockedVault(options.dataDir, coreOptions)
      : await createUnlockedTestCore({ ...coreOptions, dataDir: options.dataDir })
  const events: { name: string; payload: unknown }[] = []
  base.core.events.subscribe((name, payload) => events.push({ name, payload }))
  const existing = await base.call<Remote[]>('remotes.list')
  const target = server.targetFor(dialect)
  const remote =
    existing[0] ??
    (await base.call<Remote>('remotes.add', {
      name: `Team ${dialect}`,
      dialect,
      baseUrl: target.baseUrl,
      projectId: target.projectId ?? null,
      orgId: target.orgId ?? null,
      apiKey: target.apiKey,
    }))
  return {
    ...base,
    clock,
    server,
    remote,
    events,
    async save(externalId, overrides = {}) {
      const result = await base.call<{ connection: AppConnection }>('connections.upsert', {
        displayName: `Slack ${externalId}`,
        pieceName: SLACK,
        pieceVersion: '0.10.0',
        type: 'SECRET_TEXT',
        externalId,
        value: { type: 'SECRET_TEXT', secret_text: `secret-${externalId}` },
        projectIds: dialect === 'activepieces' ? [target.projectId!] : [],
        remoteId: remote.id,
        ...overrides,
      })
      return result.connection
    },
    async sync() {
      const [summary] = await base.call<SyncRunSummary[]>('sync.run', { remoteId: remote.id })
      return summary!
    },
    async local() {
      const page = await base.call<{ data: AppConnection[]; total: number }>('connections.slice', {
        offset: 0,
        limit: 500,
      })
      return new Map(page.data.map((connection) => [connection.externalId, connection]))
    },
    outboxSize() {
      return (
        base.core.vault.requireSession().db.prepare('SELECT count(*) AS n FROM sync_outbox').get() as {
          n: number
        }
      ).n
    },
    async dispose() {
      await base.dispose()
      if (!options.server) await server.close()
    },
  }
}

/** The server's rows of one dialect as { externalId → secret text and name }: what the remote holds. */
export function remoteState(
  server: SyncServer,
  dialect: Dialect,
): Map<string, { displayName: string; secret: unknown }> {
  return new Map(
    server
      .rows(dialect)
      .map((row) => [row.externalId ?? '', { displayName: row.displayName, secret: row.value.secret_text }]),
  )
}

/**
 * The remote holds exactly what the vault holds for this remote: the same externalIds, each once,
 * with the same name and, where the vault has the secret, the same secret.
 */
export async function expectRemoteEqualsLocal(h: SyncHarness, dialect: Dialect): Promise<void> {
  const { expect } = await import('vitest')
  const rows = h.server.rows(dialect)
  const remoteIds = rows.map((row) => row.externalId ?? '').sort()
  expect(new Set(remoteIds).size, 'no externalId twice on the remote').toBe(remoteIds.length)
  const local = [...(await h.local()).values()].filter((connection) => connection.remoteId === h.remote.id)
  expect(remoteIds).toEqual(local.map((connection) => connection.externalId).sort())
  for (const connection of local) {
    const row = rows.find((candidate) => candidate.externalId === connection.externalId)!
    expect(row.displayName).toBe(connection.displayName)
    if (!connection.hasValue) continue
    const revealed = await h.call<{ value: { secret_text?: string } }>('connections.reveal', {
      id: connection.id,
    })
    expect(row.value.secret_text).toBe(revealed.value.secret_text)
  }
}
