import type {
  AppConnection,
  ConnectionScope,
  ConnectionStatus,
  ConnectionType,
  SyncState,
} from '../../shared/contract'

/**
 * Every column of `connections` a read answers, prefixed `c.`: all but the sealed value, which
 * only a reveal reads (by id), so a page of rows never carries 100 envelopes it does not need.
 */
export const CONNECTION_COLUMNS = [
  'id',
  'remote_key',
  'external_id',
  'display_name',
  'type',
  'piece_name',
  'piece_version',
  'platform_id',
  'scope',
  'status',
  'status_reason',
  'owner_id',
  'owner_email',
  'owner_first_name',
  'owner_last_name',
  'metadata',
  'pre_select',
  'sync_state',
  'created_ms',
  'updated_ms',
  'token_expires_ms',
  'last_refresh_success_ms',
  'last_refresh_failure_ms',
  'last_refresh_failure_reason',
  'refresh_attempts',
  'last_used_ms',
  'last_rotated_ms',
]
  .map((column) => `c.${column}`)
  .join(', ')

/** A row's columns and whether it holds a value, as SELECT ROW_COLUMNS FROM connections c answers. */
export const ROW_COLUMNS = `${CONNECTION_COLUMNS}, c.value_envelope IS NOT NULL AS has_value`

/** A `connections` row as SQLite returns it (without its sealed value), plus the computed has_value. */
export interface ConnectionRow {
  id: string
  remote_key: string
  external_id: string
  display_name: string
  type: ConnectionType
  piece_name: string
  piece_version: string | null
  platform_id: string | null
  scope: ConnectionScope
  status: ConnectionStatus
  status_reason: string | null
  owner_id: string | null
  owner_email: string | null
  owner_first_name: string | null
  owner_last_name: string | null
  metadata: string | null
  pre_select: number
  sync_state: SyncState
  created_ms: number
  updated_ms: number
  token_expires_ms: number | null
  last_refresh_success_ms: number | null
  last_refresh_failure_ms: number | null
  last_refresh_failure_reason: string | null
  refresh_attempts: number
  last_used_ms: number | null
  last_rotated_ms: number | null
  has_value: number
}

export interface Related {
  projectIds: Map<string, string[]>
  flowIds: Map<string, string[]>
}

/**
 * The last two instants formatted: a batch's rows share their updated and rotated instants, and
 * each row's own created and expiry instants come between them, so one slot kept missing.
 */
let lastMs = NaN
let lastText = ''
let otherMs = NaN
let otherText = ''
export function iso(ms: number): string {
  if (ms === lastMs) return lastText
  if (ms === otherMs) {
    otherMs = lastMs
    lastMs = ms
    const text = otherText
    otherText = lastText
    lastText = text
    return text
  }
  otherMs = lastMs
  otherText = lastText
  lastMs = ms
  lastText = new Date(ms).toISOString()
  return lastText
}
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms))

/** A row's remote_key as the contract's remoteId: '' is the local vault. */
export const remoteIdOf = (remoteKey: string): string | null => (remoteKey === '' ? null : remoteKey)

/** The contract's connection: never the value, only whether one is stored. */
export function toConnection(row: ConnectionRow, related: Related): AppConnection {
  return {
    id: row.id,
    externalId: row.external_id,
    displayName: row.display_name,
    type: row.type,
    pieceName: row.piece_name,
    pieceVersion: row.piece_version,
    projectIds: related.projectIds.get(row.id) ?? [],
    platformId: row.platform_id,
    scope: row.scope,
    status: row.status,
    statusReason: row.status_reason,
    ownerId: row.owner_id,
    owner:
      row.owner_email === null
        ? null
        : {
            email: row.owner_email,
            firstName: row.owner_first_name ?? '',
            lastName: row.owner_last_name ?? '',
          },
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    flowIds: related.flowIds.get(row.id) ?? [],
    preSelectForNewProjects: row.pre_select === 1,
    created: iso(row.created_ms),
    updated: iso(row.updated_ms),
    remoteId: remoteIdOf(row.remote_key),
    syncState: row.sync_state,
    hasValue: row.has_value === 1,
    health: {
      tokenExpiresAt: isoOrNull(row.token_expires_ms),
      lastRefreshSuccessAt: isoOrNull(row.last_refresh_success_ms),
      lastRefreshFailureAt: isoOrNull(row.last_refresh_failure_ms),
      lastRefreshFailureReason: row.last_refresh_failure_reason,
      refreshAttempts: row.refresh_attempts,
      lastUsedAt: isoOrNull(row.last_used_ms),
      lastRotatedAt: isoOrNull(row.last_rotated_ms),
    },
  }
}
