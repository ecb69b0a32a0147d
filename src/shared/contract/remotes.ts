import { z } from 'zod'
import { procedure } from './define'

// A remote is a shared Connections API a team keeps its connections on: an Activepieces project
// (`/api/v1/app-connections`) or a Weavz organisation (`/api/v1/connections`). Its API key is a
// secret like any connection value: sealed in the vault, never answered back.

export const REMOTE_DIALECTS = ['activepieces', 'weavz'] as const
export const remoteDialectSchema = z.enum(REMOTE_DIALECTS)
export type RemoteDialect = z.infer<typeof remoteDialectSchema>

/** A remote as every answer shows it: never its API key. */
export interface Remote {
  id: string
  name: string
  dialect: RemoteDialect
  baseUrl: string
  /** Activepieces: required (list, owners and replace need it). Weavz: optional scope. */
  projectId: string | null
  /** Weavz only; the API key already names the organisation, so it may stay empty. */
  orgId: string | null
  created: string
  updated: string
  /** Connections bound to this remote. */
  connectionCount: number
  /** Outbox entries not yet on the remote: what removing it would discard. */
  pendingCount: number
}

/**
 * Why a remote did not answer as expected, one word per cause a person fixes differently:
 * unauthorized (401, the key), forbidden (403, the key's rights), wrong-path (404, the base URL),
 * not-dialect (a server that answers, but not as the dialect it was added as).
 */
export const REMOTE_FAILURES = [
  'dns',
  'tls',
  'refused',
  'timeout',
  'reset',
  'offline',
  'unauthorized',
  'forbidden',
  'wrong-path',
  'not-dialect',
  'http',
  'unsupported',
] as const
export type RemoteFailure = (typeof REMOTE_FAILURES)[number]

export type RemoteTestResult =
  | { ok: true; dialect: RemoteDialect; latencyMs: number; connectionCount: number | null }
  | { ok: false; failure: RemoteFailure; status: number | null; message: string }

/** Loopback may be plain http (a local server, tests); anything else must be https. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

export function baseUrlProblem(text: string): string | null {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'The base URL must be a URL, such as https://cloud.activepieces.com.'
  }
  if (url.username !== '' || url.password !== '') {
    return 'The base URL must not carry a user name or password; the API key goes in its own field.'
  }
  if (url.search !== '' || url.hash !== '') return 'The base URL must not carry a query or a fragment.'
  if (url.protocol === 'https:') return null
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null
  return 'The base URL must start with https:// (plain http:// only for a server on this machine).'
}

const baseUrl = z
  .string()
  .trim()
  .min(1, 'A base URL is required.')
  .max(2000, 'The base URL is too long.')
  .superRefine((text, context) => {
    const problem = baseUrlProblem(text)
    if (problem !== null) context.addIssue({ code: 'custom', message: problem })
  })
  // One spelling per server: no trailing slash, so paths join the same way everywhere.
  .transform((text) => text.replace(/\/+$/, ''))
const name = z.string().trim().min(1, 'A name is required.').max(200, 'The name is too long.')
const optionalId = (what: string) =>
  z.string().trim().min(1, `${what} cannot be empty.`).max(200, `${what} is too long.`).nullable().optional()
/** A key is kept byte for byte, like any secret; only its size is checked. */
const apiKey = z.string().min(1, 'An API key is required.').max(10_000, 'The API key is too long.')
const id = z.string().min(1).max(200)

function checkProjectForDialect(
  input: { dialect: RemoteDialect; projectId?: string | null | undefined },
  context: z.RefinementCtx,
): void {
  if (input.dialect === 'activepieces' && (input.projectId ?? null) === null) {
    context.addIssue({
      code: 'custom',
      path: ['projectId'],
      message: 'An Activepieces remote needs its project id: the server requires it to list connections.',
    })
  }
}

const remoteFields = {
  name,
  dialect: remoteDialectSchema,
  baseUrl,
  projectId: optionalId('The project id'),
  orgId: optionalId('The organisation id'),
  apiKey,
}

export const addRemoteSchema = z.object(remoteFields).strict().superRefine(checkProjectForDialect)
export type AddRemoteInput = z.input<typeof addRemoteSchema>

/** The dialect is fixed once added; omitted fields keep their value, the key included. */
export const updateRemoteSchema = z
  .object({
    id,
    name: name.optional(),
    baseUrl: baseUrl.optional(),
    projectId: optionalId('The project id'),
    orgId: optionalId('The organisation id'),
    apiKey: apiKey.optional(),
  })
  .strict()
export type UpdateRemoteInput = z.input<typeof updateRemoteSchema>

/** Test a saved remote by id, or a draft before saving it. */
export const testRemoteSchema = z.union([
  z.object({ id }).strict(),
  z
    .object({ ...remoteFields, name: name.optional() })
    .strict()
    .superRefine(checkProjectForDialect),
])
export type TestRemoteInput = z.input<typeof testRemoteSchema>

export const remotesProcedures = {
  'remotes.list': procedure(z.object({}).strict()).returns<Remote[]>(),
  'remotes.add': procedure(addRemoteSchema).returns<Remote>(),
  'remotes.update': procedure(updateRemoteSchema).returns<Remote>(),
  /**
   * Never deletes a local connection: those bound to the remote become local-only. With unsynced
   * changes it answers CONFLICT (params.pendingChanges) unless `discardPending` is true.
   */
  'remotes.remove': procedure(z.object({ id, discardPending: z.boolean().default(false) }).strict()).returns<{
    removed: true
    discardedChanges: number
    detachedConnections: number
  }>(),
  'remotes.test': procedure(testRemoteSchema).returns<RemoteTestResult>(),
}
