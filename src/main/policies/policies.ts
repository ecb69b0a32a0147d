import type Database from 'better-sqlite3'
import type {
  ConnectionPolicy,
  ParsedInputOf,
  PolicyResolution,
  PolicyType,
  Procedures,
} from '../../shared/contract'
import { AppError, notFoundError, validationError } from '../../shared/errors'
import type { Handlers } from '../api/router'
import type { ConnectionsService } from '../connections/service'
import { createRepositoryAccess } from '../vault/repository-access'
import type { VaultSession } from '../vault/session'
import { POLICY_WORDS } from './policy-words'
import { isAvailableIn, resolveConnection } from './resolver'
import { assertRowIntegrity } from '../connections/row-integrity'

type Input<Name extends keyof Procedures> = ParsedInputOf<Procedures[Name]>

interface PolicyRow {
  piece_name: string
  project_id: string
  type: PolicyType
  connection_id: string | null
  updated_ms: number
}

function createPoliciesRepository(db: Database.Database) {
  // Named parameters: better-sqlite3 does not bind numbered ones (?1) positionally ("Too many parameter values").
  const list = db.prepare<[{ pieceName: string | null; projectId: string | null }], PolicyRow>(
    `SELECT * FROM connection_policies
     WHERE (@pieceName IS NULL OR piece_name = @pieceName) AND (@projectId IS NULL OR project_id = @projectId)
     ORDER BY piece_name, project_id`,
  )
  const one = db.prepare<[string, string], PolicyRow>(
    'SELECT * FROM connection_policies WHERE piece_name = ? AND project_id = ?',
  )
  const write = db.prepare<[string, string, string, string | null, number]>(
    `INSERT INTO connection_policies (piece_name, project_id, type, connection_id, updated_ms) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (piece_name, project_id) DO UPDATE SET type = excluded.type,
       connection_id = excluded.connection_id, updated_ms = excluded.updated_ms`,
  )
  // The user's connection for a piece in a project: linked to the project, or linked to none (an
  // organisation-wide connection, Weavz's projectId: null). Prefer ACTIVE, then the project's own.
  const userConnection = db.prepare<
    [{ pieceName: string; externalId: string; projectId: string }],
    { id: string }
  >(
    // remote_key IN (…) lets the natural key's unique index (remote_key, piece_name, external_id)
    // answer with one seek per remote; the connections table has no other index on these columns.
    `SELECT c.id FROM connections c
     WHERE c.remote_key IN (SELECT '' UNION ALL SELECT id FROM remotes)
       AND c.piece_name = @pieceName AND c.external_id = @externalId
       AND (EXISTS (SELECT 1 FROM connection_projects p WHERE p.connection_id = c.id AND p.project_id = @projectId)
            OR NOT EXISTS (SELECT 1 FROM connection_projects p WHERE p.connection_id = c.id))
     ORDER BY c.status = 'ACTIVE' DESC,
       EXISTS (SELECT 1 FROM connection_projects p WHERE p.connection_id = c.id AND p.project_id = @projectId) DESC,
       c.updated_ms DESC, c.id
     LIMIT 1`,
  )
  const remove = db.prepare<[string, string]>(
    'DELETE FROM connection_policies WHERE piece_name = ? AND project_id = ?',
  )
  return {
    list: (pieceName: string | null, projectId: string | null) => list.all({ pieceName, projectId }),
    remove: (pieceName: string, projectId: string) => remove.run(pieceName, projectId).changes > 0,
    one: (pieceName: string, projectId: string) => one.get(pieceName, projectId),
    write: (policy: PolicyRow) =>
      write.run(policy.piece_name, policy.project_id, policy.type, policy.connection_id, policy.updated_ms),
    userConnectionId: (pieceName: string, externalId: string, projectId: string) =>
      userConnection.get({ pieceName, externalId, projectId })?.id ?? null,
  }
}

export interface PoliciesDependencies {
  session: () => VaultSession
  clock: { now(): number }
  connections: ConnectionsService
}

export function createPoliciesService(dependencies: PoliciesDependencies) {
  const withVault = createRepositoryAccess(dependencies.session, createPoliciesRepository)
  const findConnection = (id: string | null) => {
    if (id === null) return null
    try {
      return dependencies.connections.get(id)
    } catch (error) {
      if (error instanceof AppError && error.code === 'ENTITY_NOT_FOUND') return null
      throw error
    }
  }

  function list(input: Input<'policies.list'>): ConnectionPolicy[] {
    return withVault((_session, repository) =>
      repository.list(input.pieceName ?? null, input.projectId ?? null).map(toPolicy),
    )
  }

  function set(input: Input<'policies.set'>, origin: string): ConnectionPolicy {
    return withVault((session, repository) =>
      session.transaction(() => {
        checkPolicyConnection(input, findConnection(input.connectionId))
        const row: PolicyRow = {
          piece_name: input.pieceName,
          project_id: input.projectId,
          type: input.type,
          connection_id: input.connectionId,
          updated_ms: dependencies.clock.now(),
        }
        repository.write(row)
        session.audit({
          action: 'policy.set',
          origin,
          entityType: 'connection_policy',
          entityId: `${input.pieceName}:${input.projectId}`,
          details: {
            pieceName: input.pieceName,
            projectId: input.projectId,
            type: input.type,
            connectionId: input.connectionId,
          },
        })
        return toPolicy(row)
      }),
    )
  }

  function remove(input: Input<'policies.remove'>, origin: string): { removed: boolean } {
    return withVault((session, repository) =>
      session.transaction(() => {
        const removed = repository.remove(input.pieceName, input.projectId)
        // Removing nothing changes nothing, so it leaves no audit entry.
        if (removed) {
          session.audit({
            action: 'policy.remove',
            origin,
            entityType: 'connection_policy',
            entityId: `${input.pieceName}:${input.projectId}`,
            details: { pieceName: input.pieceName, projectId: input.projectId },
          })
        }
        return { removed }
      }),
    )
  }

  function resolve(input: Input<'policies.resolve'>): PolicyResolution {
    return withVault((session, repository) => {
      const row = repository.one(input.pieceName, input.projectId)
      const policy = row ? toPolicy(row) : null
      const userId =
        input.externalId === undefined
          ? null
          : repository.userConnectionId(input.pieceName, input.externalId, input.projectId)
      // Chosen by what the rows say they are (externalId, piece, projects): those must be authentic.
      for (const id of [policy?.connectionId, userId]) if (id) assertRowIntegrity(session, id)
      return resolveConnection({
        pieceName: input.pieceName,
        projectId: input.projectId,
        externalId: input.externalId,
        policy,
        policyConnection: findConnection(policy?.connectionId ?? null),
        userConnection: findConnection(userId),
      })
    })
  }

  return { list, set, remove, resolve }
}

/** USER_REQUIRED has no connection; every other type names one of the same piece. */
function checkPolicyConnection(
  input: Input<'policies.set'>,
  connection: ReturnType<ConnectionsService['get']> | null,
): void {
  if (input.type === 'USER_REQUIRED') {
    if (input.connectionId !== null) {
      throw validationError(
        'When each user must bring their own connection there is no default connection: leave the connection empty.',
      )
    }
    return
  }
  if (input.connectionId === null) {
    throw validationError(
      `A policy of “${POLICY_WORDS[input.type]}” needs a connection: choose the one it ${input.type === 'USER_WITH_DEFAULT' ? 'falls back to' : 'enforces'}.`,
    )
  }
  if (!connection) throw notFoundError('app_connection', input.connectionId, 'Connection not found')
  if (connection.pieceName !== input.pieceName) {
    throw validationError(
      `Connection "${connection.displayName}" is for ${connection.pieceName}, not ${input.pieceName}.`,
    )
  }
  const role = input.type === 'USER_WITH_DEFAULT' ? 'the default' : 'enforced'
  if (!isAvailableIn(connection, input.projectId)) {
    throw validationError(
      `Connection "${connection.displayName}" is not available in project ${input.projectId}, so it cannot be ${role} there.`,
    )
  }
  // Weavz: ENFORCED_ORG enforces "a single org-level connection" and USER_WITH_DEFAULT falls back to
  // "a default org-level connection"; only ENFORCED_PROJECT takes a project's own connection.
  if (
    input.type !== 'ENFORCED_PROJECT' &&
    connection.scope === 'PROJECT' &&
    connection.projectIds.length > 0
  ) {
    throw validationError(
      `Connection "${connection.displayName}" belongs to project ${connection.projectIds.join(', ')} only; ` +
        `a policy of “${POLICY_WORDS[input.type]}” needs an organisation-level connection (platform-wide, or linked to no project).` +
        (input.type === 'ENFORCED_ORG'
          ? ' To enforce a project’s own connection, enforce it for the project instead.'
          : ''),
    )
  }
}

function toPolicy(row: PolicyRow): ConnectionPolicy {
  return {
    pieceName: row.piece_name,
    projectId: row.project_id,
    type: row.type,
    connectionId: row.connection_id,
    updated: new Date(row.updated_ms).toISOString(),
  }
}

export function policyHandlers(
  service: ReturnType<typeof createPoliciesService>,
): Pick<Handlers, 'policies.list' | 'policies.set' | 'policies.remove' | 'policies.resolve'> {
  return {
    'policies.list': (input) => service.list(input),
    'policies.set': (input, context) => service.set(input, context.origin),
    'policies.remove': (input, context) => service.remove(input, context.origin),
    'policies.resolve': (input) => service.resolve(input),
  }
}
