import type { AppConnection } from '../../shared/contract'

/**
 * A connection's fields in the seeds' upsert shape, without its value: what a sync push queues and
 * what a plaintext export writes beside the opened value. One place, so the two never drift.
 */
export function seedFieldsOf(connection: AppConnection) {
  return {
    externalId: connection.externalId,
    displayName: connection.displayName,
    pieceName: connection.pieceName,
    pieceVersion: connection.pieceVersion,
    type: connection.type,
    scope: connection.scope,
    projectIds: connection.projectIds,
    metadata: connection.metadata,
    preSelectForNewProjects: connection.preSelectForNewProjects,
  }
}
