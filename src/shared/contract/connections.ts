import { z } from 'zod'
import { event, procedure } from './define'

// Field names follow the seeds exactly (camelCase as in their JSON); value shapes follow
// REFERENCE.md §1.4. Every object is strict: an unknown field is refused, never silently stored.

export const CONNECTION_TYPES = [
  'OAUTH2',
  'CLOUD_OAUTH2',
  'PLATFORM_OAUTH2',
  'SECRET_TEXT',
  'BASIC_AUTH',
  'CUSTOM_AUTH',
  'OIDC',
  'NO_AUTH',
] as const
export const CONNECTION_STATUSES = ['ACTIVE', 'MISSING', 'ERROR'] as const
export const CONNECTION_SCOPES = ['PROJECT', 'PLATFORM'] as const
export const SYNC_STATES = ['LOCAL', 'SYNCED', 'PENDING', 'CONFLICT'] as const
export const LIST_SORTS = ['updated', 'created', 'displayName', 'expiry'] as const

export const connectionTypeSchema = z.enum(CONNECTION_TYPES)
export const connectionStatusSchema = z.enum(CONNECTION_STATUSES)
export const connectionScopeSchema = z.enum(CONNECTION_SCOPES)

export type ConnectionType = z.infer<typeof connectionTypeSchema>
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>
export type ConnectionScope = z.infer<typeof connectionScopeSchema>
export type SyncState = (typeof SYNC_STATES)[number]
export type ListSort = (typeof LIST_SORTS)[number]

const nonEmpty = (what: string, max = 10_000) =>
  z.string().min(1, `${what} is required.`).max(max, `${what} is too long.`)
const jsonObject = z.record(z.string(), z.unknown())
/** Activepieces sends lowercase grant types; its document shows upper case. Accept both, store lowercase. */
const grantType = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(['authorization_code', 'client_credentials']))

const oauth2Base = {
  client_id: z.string().max(1000).optional(),
  access_token: nonEmpty('An access token'),
  refresh_token: z.string().max(10_000).optional(),
  token_type: z.string().max(100).optional(),
  expires_in: z.number().int().nonnegative().optional(),
  /** Unix seconds, as the Activepieces server stores it (the document's Date.now() is milliseconds). */
  claimed_at: z.number().nonnegative().optional(),
  scope: z.string().max(5000).optional(),
  token_url: nonEmpty('A token URL', 2000),
  authorization_method: z.enum(['HEADER', 'BODY']).optional(),
  grant_type: grantType.optional(),
  data: jsonObject.optional(),
  props: jsonObject.optional(),
}

export const connectionValueSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('OAUTH2'),
      ...oauth2Base,
      client_secret: z.string().max(5000).optional(),
      redirect_url: z.string().max(2000).optional(),
    })
    .strict(),
  z.object({ type: z.literal('CLOUD_OAUTH2'), ...oauth2Base }).strict(),
  z
    .object({
      type: z.literal('PLATFORM_OAUTH2'),
      ...oauth2Base,
      redirect_url: z.string().max(2000).optional(),
    })
    .strict(),
  z.object({ type: z.literal('SECRET_TEXT'), secret_text: nonEmpty('The secret text') }).strict(),
  z
    .object({
      type: z.literal('BASIC_AUTH'),
      username: nonEmpty('A username', 1000),
      password: z.string().max(10_000),
    })
    .strict(),
  z
    .object({
      type: z.literal('CUSTOM_AUTH'),
      // zod reports a bad record key only as "Invalid key in record", so names are checked here.
      props: jsonObject.superRefine((props, context) => {
        for (const name of Object.keys(props)) {
          if (name.trim().length === 0 || name.length > 200) {
            context.addIssue({
              code: 'custom',
              message: 'Every property needs a name of 1 to 200 characters.',
            })
            return
          }
        }
      }),
    })
    .strict(),
  z.object({ type: z.literal('OIDC'), props: jsonObject }).strict(),
  z.object({ type: z.literal('NO_AUTH') }).strict(),
])
export type ConnectionValue = z.infer<typeof connectionValueSchema>

export interface ConnectionOwner {
  email: string
  firstName: string
  lastName: string
}

/** Kept outside the encrypted value so lists can sort, filter and alert without decrypting. */
export interface ConnectionHealth {
  tokenExpiresAt: string | null
  lastRefreshSuccessAt: string | null
  lastRefreshFailureAt: string | null
  lastRefreshFailureReason: string | null
  refreshAttempts: number
  lastUsedAt: string | null
  lastRotatedAt: string | null
}

/** A connection as every list and get answers it: never its value. */
export interface AppConnection {
  id: string
  externalId: string
  displayName: string
  type: ConnectionType
  pieceName: string
  pieceVersion: string | null
  projectIds: string[]
  platformId: string | null
  scope: ConnectionScope
  status: ConnectionStatus
  /** Why the status is ERROR (the provider's reason), else null. */
  statusReason: string | null
  ownerId: string | null
  owner: ConnectionOwner | null
  metadata: Record<string, unknown> | null
  flowIds: string[]
  preSelectForNewProjects: boolean
  created: string
  updated: string
  remoteId: string | null
  syncState: SyncState
  /** False for a MISSING placeholder, or a connection whose secret only the remote holds. */
  hasValue: boolean
  health: ConnectionHealth
}

export interface Page<T> {
  data: T[]
  next: string | null
  previous: string | null
}

const id = nonEmpty('An id', 200)
const metadata = jsonObject.nullable()
const projectIds = z.array(nonEmpty('A project id', 200)).max(1000)

export const connectionFilterSchema = z
  .object({
    pieceName: z.string().min(1).max(200).optional(),
    /** Case-insensitive partial match; % and _ are literal characters, not wildcards. */
    displayName: z.string().min(1).max(200).optional(),
    status: z.array(connectionStatusSchema).min(1).max(3).optional(),
    scope: connectionScopeSchema.optional(),
    projectId: z.string().min(1).max(200).optional(),
    /** null means local-only connections. */
    remoteId: z.string().min(1).max(200).nullable().optional(),
    sort: z.enum(LIST_SORTS).default('updated'),
  })
  .strict()
export type ConnectionFilter = z.input<typeof connectionFilterSchema>

const connectionFields = {
  displayName: nonEmpty('A display name', 200),
  pieceName: nonEmpty('A piece name', 200),
  type: connectionTypeSchema,
  externalId: z.string().min(1).max(200).optional(),
  /** Optional only for NO_AUTH, which takes no value. */
  value: connectionValueSchema.optional(),
  metadata: metadata.optional(),
  scope: connectionScopeSchema.default('PROJECT'),
  projectIds: projectIds.default([]),
  preSelectForNewProjects: z.boolean().default(false),
  remoteId: z.string().min(1).max(200).nullable().default(null),
}

function checkValueMatchesType(
  input: {
    type: ConnectionType
    value?: ConnectionValue | undefined
    scope: ConnectionScope
    projectIds: string[]
    preSelectForNewProjects: boolean
  },
  context: z.RefinementCtx,
): void {
  if (input.value === undefined && input.type !== 'NO_AUTH') {
    context.addIssue({
      code: 'custom',
      path: ['value'],
      message: `A ${input.type} connection needs a value.`,
    })
  }
  if (input.value !== undefined && input.value.type !== input.type) {
    context.addIssue({
      code: 'custom',
      path: ['value', 'type'],
      message: `value.type is ${input.value.type} but the connection's type is ${input.type}; they must be equal.`,
    })
  }
  if (input.scope === 'PROJECT' && input.projectIds.length > 1) {
    context.addIssue({
      code: 'custom',
      path: ['projectIds'],
      message: 'A PROJECT connection belongs to at most one project.',
    })
  }
  if (input.scope === 'PROJECT' && input.preSelectForNewProjects) {
    context.addIssue({
      code: 'custom',
      path: ['preSelectForNewProjects'],
      message: 'Only PLATFORM connections can be pre-selected for new projects.',
    })
  }
}

export const upsertConnectionSchema = z
  .object({ ...connectionFields, pieceVersion: nonEmpty('A piece version', 100) })
  .strict()
  .superRefine(checkValueMatchesType)
export const createConnectionSchema = z
  .object({ ...connectionFields, pieceVersion: z.string().min(1).max(100).optional() })
  .strict()
  .superRefine(checkValueMatchesType)
export type UpsertConnectionInput = z.input<typeof upsertConnectionSchema>

/** How many connections one connections.upsertBatch call may hold. */
export const UPSERT_BATCH_MAX = 500
export const upsertBatchSchema = z
  .object({
    items: z
      .array(upsertConnectionSchema)
      .min(1, `items must hold 1 to ${UPSERT_BATCH_MAX} connections.`)
      .max(UPSERT_BATCH_MAX, `items must hold 1 to ${UPSERT_BATCH_MAX} connections.`),
  })
  .strict()

export const updateConnectionSchema = z
  .object({ id, displayName: nonEmpty('A display name', 200).optional(), metadata: metadata.optional() })
  .strict()

export const connectionsProcedures = {
  'connections.list': procedure(
    connectionFilterSchema.extend({
      limit: z
        .number()
        .int()
        .min(1, 'limit must be from 1 to 100.')
        .max(100, 'limit must be from 1 to 100.')
        .default(10),
      cursor: z.string().min(1).max(2000).optional(),
    }),
  ).returns<Page<AppConnection>>(),
  /**
   * Random access for the virtualized table: rows [offset, offset + limit) of the filtered,
   * sorted list, and how many there are. The seed's cursor list stays the API for everything else.
   */
  'connections.slice': procedure(
    connectionFilterSchema.extend({
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
  ).returns<{ data: AppConnection[]; total: number }>(),
  'connections.get': procedure(z.object({ id }).strict()).returns<AppConnection>(),
  'connections.upsert': procedure(upsertConnectionSchema).returns<{
    connection: AppConnection
    created: boolean
  }>(),
  /**
   * Up to UPSERT_BATCH_MAX upserts, each with connections.upsert's meaning, in one vault transaction:
   * all of them are written or none is. Items run in order, so an externalId that appears twice is
   * created by the first and updated by the second. results[i] answers items[i].
   */
  'connections.upsertBatch': procedure(upsertBatchSchema).returns<{
    results: { connection: AppConnection; created: boolean }[]
  }>(),
  'connections.create': procedure(createConnectionSchema).returns<{
    connection: AppConnection
    created: true
  }>(),
  'connections.update': procedure(updateConnectionSchema).returns<AppConnection>(),
  'connections.reveal': procedure(z.object({ id }).strict()).returns<{
    id: string
    value: ConnectionValue
  }>(),
  'connections.delete': procedure(z.object({ id, force: z.boolean().default(false) }).strict()).returns<{
    deleted: true
    /** Present when forced over active flows: the MISSING placeholder that keeps their references. */
    placeholder: AppConnection | null
  }>(),
  'connections.replace': procedure(
    z.object({ sourceAppConnectionId: id, targetAppConnectionId: id }).strict(),
  ).returns<{ movedFlowReferences: number }>(),
  'connections.owners': procedure(
    z
      .object({
        limit: z.number().int().min(1).max(100).default(10),
        cursor: z.string().min(1).max(2000).optional(),
      })
      .strict(),
  ).returns<Page<ConnectionOwner>>(),
}

export const connectionsEvents = {
  'connections.changed': event<{ ids: string[]; kind: 'created' | 'updated' | 'deleted' | 'replaced' }>(),
}
