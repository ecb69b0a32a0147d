import type { RemoteClient, RemoteConnection, RemoteUpsert } from './remote-client'
import { isRemoteError } from './remote-error'

export interface Ensured {
  connection: RemoteConnection
  /**
   * True when this call's write made the row (so the remote holds the value sent). False when the
   * row was found instead: made by an earlier attempt whose answer was lost — or, if the caller
   * never started one, by someone else, whose secret it then holds.
   */
  written: boolean
}

function isConflict(error: unknown): boolean {
  return isRemoteError(error) && error.status === 409 && error.appCode === 'CONFLICT'
}

/**
 * A create that is safe to repeat. Activepieces upserts by externalId, so it simply upserts.
 * Weavz refuses a second create (409), so the row is looked up by externalId first — an earlier
 * create whose answer was lost is adopted, not duplicated — and a 409 that races in is resolved
 * the same way.
 */
export async function ensureCreated(
  client: RemoteClient,
  input: RemoteUpsert,
  signal: AbortSignal,
  options: { before?: RemoteConnection | null } = {},
): Promise<Ensured> {
  if (client.dialect === 'activepieces') {
    if (input.oauthCodeClaim) return claimOnce(client, input, signal, options.before ?? null)
    return { connection: await client.upsert(input, signal), written: true }
  }
  const existing = await client.findByExternalId(input.pieceName, input.externalId, signal)
  if (existing) return { connection: existing, written: false }
  return createOrAdopt(client, input, signal)
}

async function createOrAdopt(
  client: RemoteClient,
  input: RemoteUpsert,
  signal: AbortSignal,
): Promise<Ensured> {
  try {
    return { connection: await client.upsert(input, signal), written: true }
  } catch (error) {
    if (!isConflict(error)) throw error
    const raced = await client.findByExternalId(input.pieceName, input.externalId, signal)
    if (!raced) throw error
    return { connection: raced, written: false }
  }
}

/**
 * Replaces a connection's remote row with a new value where the dialect cannot update one (Weavz:
 * a delete, then a create). Rerunnable from any point a crash leaves it at, with the same inputs:
 * - the old row still there → delete it, then create;
 * - neither there → the delete happened, create;
 * - a row with another id there → the create happened (its answer was lost): adopt it.
 * Nothing is lost (the caller keeps the value until this resolves) and nothing is duplicated
 * (at most one create reaches the remote per externalId). On Activepieces it is one upsert.
 */
export async function recreate(
  client: RemoteClient,
  input: { previousRemoteId: string | null; upsert: RemoteUpsert },
  signal: AbortSignal,
): Promise<Ensured> {
  if (client.dialect === 'activepieces')
    return { connection: await client.upsert(input.upsert, signal), written: true }
  const { pieceName, externalId } = input.upsert
  const current = await client.findByExternalId(pieceName, externalId, signal)
  if (current && current.remoteId !== input.previousRemoteId) return { connection: current, written: false }
  if (current) await client.delete(current, signal)
  return createOrAdopt(client, input.upsert, signal)
}

/**
 * An Activepieces OAuth2 upsert, safe to repeat. The server claims the code at the provider, and a
 * code is single use: after an answer was lost, the retry's claim is refused (INVALID_CLAIM) though
 * the first one landed. So a refused claim looks the row up; one that is new, or whose `updated`
 * moved since `before` (the row as last pulled), is the landed claim, adopted. Otherwise the
 * refusal stands (the person signs in again).
 */
export async function claimOnce(
  client: RemoteClient,
  input: RemoteUpsert,
  signal: AbortSignal,
  before: RemoteConnection | null,
): Promise<Ensured> {
  try {
    return { connection: await client.upsert(input, signal), written: true }
  } catch (error) {
    if (!isRemoteError(error) || error.remoteCode !== 'INVALID_CLAIM') throw error
    const found = await client.findByExternalId(input.pieceName, input.externalId, signal)
    if (found && (before === null || found.updated !== before.updated))
      return { connection: found, written: false }
    throw error
  }
}
