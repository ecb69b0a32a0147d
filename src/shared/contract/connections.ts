import { z } from 'zod'
import { event, procedure } from './define'
import { enumValueWords } from './field-words'
import { jsonObjectSchema, METADATA_SIZE } from './json-value'

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
/**
 * updated and created: when; displayName and pieceName: text (names ignoring ASCII case, pieces by
 * package name); expiry: the token's expiry, none last; status: problems first (ERROR, then
 * MISSING, then ACTIVE), each by token expiry (so expired, then expiring, then fresh, then none).
 */
export const LIST_SORTS = ['updated', 'created', 'displayName', 'expiry', 'status', 'pieceName'] as const
/** asc: smallest key first. Omitted, each sort goes its natural way: dates newest first, the rest asc. */
export const SORT_ORDERS = ['asc', 'desc'] as const
/** expired: the token's expiry has passed; expiring: it passes within EXPIRING_SOON_MS from now. */
export const EXPIRY_STATES = ['expired', 'expiring'] as const
/** "Expiring soon": within a day, time for a person to act before a nightly flow fails. */
export const EXPIRING_SOON_MS = 24 * 60 * 60 * 1000

export const connectionTypeSchema = z.enum(CONNECTION_TYPES)
export const connectionStatusSchema = z.enum(CONNECTION_STATUSES)
export const connectionScopeSchema = z.enum(CONNECTION_SCOPES)

export type ConnectionType = z.infer<typeof connectionTypeSchema>
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>
export type ConnectionScope = z.infer<typeof connectionScopeSchema>
export type SyncState = (typeof SYNC_STATES)[number]
export type ListSort = (typeof LIST_SORTS)[number]
export type SortOrder = (typeof SORT_ORDERS)[number]
export type ExpiryState = (typeof EXPIRY_STATES)[number]

/** The sort's natural order, when a list names none. */
export const defaultOrderOf = (sort: ListSort): SortOrder =>
  sort === 'updated' || sort === 'created' ? 'desc' : 'asc'

const nonEmpty = (what: string, max = 10_000) =>
  z.string().min(1, `${what} is required.`).max(max, `${what} is too long.`)

/**
 * How large one secret field may be, in UTF-8 bytes: room for a 4096-bit PEM chain or a
 * service-account JSON key, refused beyond that with the limit in words. The form states it before
 * anyone reaches it, and refuses a paste over it before rendering it.
 */
export const SECRET_FIELD_MAX_BYTES = 64 * 1024
/** How large a whole value may be once stored (JSON, UTF-8 bytes); main refuses more. */
export const VALUE_MAX_BYTES = 256 * 1024
export const SECRET_FIELD_LIMIT_TEXT = 'up to 64 KiB'
/**
 * OAuth2 expiry is claimed_at + expires_in, as a Date: unbounded, a caller's `expires_in:
 * 9007199254740991` or `claimed_at: 1e308` put it past what a Date holds and answered 500. A token
 * lifetime is at most 100 years, and claimed_at at most the last millisecond of the year 9999 (read
 * as milliseconds, as anything above 1e11 is), so their sum always is a date.
 */
export const TOKEN_LIFETIME_MAX_SECONDS = 100 * 365.25 * 24 * 60 * 60
export const CLAIMED_AT_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999)

/** UTF-8 length without encoding the string: a 64 KiB paste is measured on every keystroke. */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one code point of four bytes.
      bytes += 4
      i += 1
    } else bytes += 3
  }
  return bytes
}

const tooLarge = (what: string) => `${what} is larger than 64 KiB.`
/**
 * A secret is stored exactly as given: no trim, no normalization, newlines and tabs kept. Only
 * its size is checked.
 */
const secretField = (what: string) =>
  z.string().refine((text) => utf8Length(text) <= SECRET_FIELD_MAX_BYTES, tooLarge(what))
const requiredSecret = (what: string) =>
  secretField(what).refine((text) => text.length > 0, `${what} is required.`)
/**
 * Free-form JSON inside a value (token data, properties): its depth is bounded here, its size with
 * the whole value's (VALUE_MAX_BYTES, which main measures on the value as it will be sealed).
 */
const valueJson = (what: string) => jsonObjectSchema(what)
/** Activepieces sends lowercase grant types; its document shows upper case. Accept both, store lowercase. */
const grantType = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(['authorization_code', 'client_credentials']))

const oauth2Base = {
  client_id: z.string().max(1000).optional(),
  access_token: requiredSecret('An access token'),
  refresh_token: secretField('The refresh token').optional(),
  token_type: z.string().max(100).optional(),
  expires_in: z
    .number()
    .int()
    .nonnegative()
    .max(
      TOKEN_LIFETIME_MAX_SECONDS,
      'The token lifetime (expires_in) must be a whole number of seconds from 0 to 100 years.',
    )
    .optional(),
  /** Unix seconds, as the Activepieces server stores it (the document's Date.now() is milliseconds). */
  claimed_at: z
    .number()
    .nonnegative()
    .max(
      CLAIMED_AT_MAX,
      'When the token was issued (claimed_at) must be a time up to the year 9999, in Unix seconds or milliseconds.',
    )
    .optional(),
  scope: z.string().max(5000).optional(),
  token_url: nonEmpty('A token URL', 2000),
  authorization_method: z.enum(['HEADER', 'BODY']).optional(),
  grant_type: grantType.optional(),
  data: valueJson('Token data').optional(),
  props: valueJson('Properties').optional(),
}

/** A property's text is a secret field like any other: kept byte for byte, refused over 64 KiB. */
function checkPropSizes(props: Record<string, unknown>, context: z.RefinementCtx): void {
  for (const [name, item] of Object.entries(props)) {
    if (typeof item === 'string' && utf8Length(item) > SECRET_FIELD_MAX_BYTES) {
      context.addIssue({ code: 'custom', path: [name], message: tooLarge(`The property “${name}”`) })
    }
  }
}

// zod reports a bad record key only as "Invalid key in record", so names are checked here.
function checkProps(props: Record<string, unknown>, context: z.RefinementCtx): void {
  for (const name of Object.keys(props)) {
    if (name.trim().length === 0 || name.length > 200) {
      context.addIssue({ code: 'custom', message: 'Every property needs a name of 1 to 200 characters.' })
      return
    }
  }
  checkPropSizes(props, context)
}

export const connectionValueSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('OAUTH2'),
      ...oauth2Base,
      client_secret: secretField('The client secret').optional(),
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
  z.object({ type: z.literal('SECRET_TEXT'), secret_text: requiredSecret('The secret text') }).strict(),
  z
    .object({
      type: z.literal('BASIC_AUTH'),
      username: nonEmpty('A username', 1000),
      password: secretField('The password'),
    })
    .strict(),
  z
    .object({
      type: z.literal('CUSTOM_AUTH'),
      props: valueJson('Properties').superRefine(checkProps),
    })
    .strict(),
  z.object({ type: z.literal('OIDC'), props: valueJson('Properties').superRefine(checkPropSizes) }).strict(),
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

/** What the vault holds, with counts: the filter bar's pickers. Each list is most-used first. */
export interface ConnectionFacets {
  /**
   * True while main first reads the list after the vault opens (about a second at 100k): the
   * counts are empty rather than slow; ask again shortly.
   */
  partial: boolean
  total: number
  pieces: { pieceName: string; count: number }[]
  projects: { projectId: string; count: number }[]
  /** remoteId null: local-only connections. */
  remotes: { remoteId: string | null; count: number }[]
}

export interface Page<T> {
  data: T[]
  next: string | null
  previous: string | null
}

const id = nonEmpty('An id', 200)
const metadata = jsonObjectSchema('Metadata', METADATA_SIZE).nullable()
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
    /**
     * Token expiry against main's clock at the time of the call: 'expired' when it has passed,
     * 'expiring' when it passes within the settings' expiringSoonDays; both, either. Connections without an expiry
     * never match. Status is not consulted (combine with status for that).
     */
    expiry: z.array(z.enum(EXPIRY_STATES)).min(1).max(2).optional(),
    sort: z.enum(LIST_SORTS).default('updated'),
    order: z.enum(SORT_ORDERS).optional(),
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
      message: `A connection of type “${enumValueWords(input.type)}” needs a value.`,
    })
  }
  if (input.value !== undefined && input.value.type !== input.type) {
    context.addIssue({
      code: 'custom',
      path: ['value', 'type'],
      message: `The value is for a “${enumValueWords(input.value.type)}” connection, but this connection's type is “${enumValueWords(input.type)}”; they must be equal.`,
    })
  }
  if (input.scope === 'PROJECT' && input.projectIds.length > 1) {
    context.addIssue({
      code: 'custom',
      path: ['projectIds'],
      message: 'A project-scoped connection belongs to at most one project.',
    })
  }
  if (input.scope === 'PROJECT' && input.preSelectForNewProjects) {
    context.addIssue({
      code: 'custom',
      path: ['preSelectForNewProjects'],
      message: 'Only platform-wide connections can be pre-selected for new projects.',
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

/**
 * A new value for an existing connection, which keeps its id, externalId and flow references.
 * value.type must equal the connection's type; main checks that against the stored row (the
 * schema cannot see it) and refuses a mismatch with a VALIDATION error on `value.type`.
 */
export const rotateConnectionSchema = z.object({ id, value: connectionValueSchema }).strict()

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
  /** Pieces, projects and remotes in the vault, with how many connections each has. */
  'connections.facets': procedure(z.object({}).strict()).returns<ConnectionFacets>(),
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
  /**
   * Replaces the secret (rotate a key, renew a token, give a MISSING placeholder its credentials
   * back): same id, externalId and flows; status becomes ACTIVE, lastRotated is now, one audit
   * entry, and a push is queued when the connection has a remote.
   */
  'connections.rotate': procedure(rotateConnectionSchema).returns<AppConnection>(),
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
