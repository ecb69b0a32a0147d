import { apiRoot, cancelled, createHttpCall, hostOf, notDialect, unsupported } from './http-call'
import type {
  RemoteClient,
  RemoteClientDeps,
  RemoteConnection,
  RemoteTarget,
  RemoteUpsert,
} from './remote-client'
import { isRemoteError } from './remote-error'
import { toWeavzConnection, weavzListItems } from './weavz-records'

export const WEAVZ_PATH = '/api/v1/connections'
const DEFAULT_CHUNK = 200

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The Weavz client, from its document (§1.15): create is not idempotent (a second create with the
 * same org + piece + externalId is 409 CONFLICT; see ensure-created.ts for the safe ways to create
 * and rotate), there is no update endpoint, no replace, no owners, and delete answers
 * `{ success: true }`. OAuth2 tokens are uploaded as minted; codes are not claimed.
 */
export function createWeavzClient(
  target: RemoteTarget,
  deps: RemoteClientDeps & { pageSize?: number },
): RemoteClient {
  const call = createHttpCall({ ...target, baseUrl: apiRoot(target.baseUrl) }, deps)
  const host = hostOf(target.baseUrl)
  const chunk = deps.pageSize ?? DEFAULT_CHUNK

  async function list(
    query: Record<string, string | undefined>,
    signal: AbortSignal,
  ): Promise<RemoteConnection[]> {
    const { body } = await call('GET', WEAVZ_PATH, {
      query: { projectId: target.projectId, ...query },
      signal,
    })
    const items = weavzListItems(body)
    if (items === null) throw notDialect(host, 'answered the connection list without a list of connections')
    return items.map((item) => {
      const connection = toWeavzConnection(item)
      if (!connection)
        throw notDialect(host, 'answered the connection list with an item that is not a connection')
      return connection
    })
  }

  return {
    dialect: 'weavz',
    supports: { updateMetadata: false, replace: false, owners: false, tokenUpload: true, codeClaim: false },

    // The document's list has no paging: the answer arrives whole, and is handed on in chunks.
    async *listPages(signal) {
      const rows = await list({}, signal)
      for (let start = 0; start < rows.length; start += chunk) {
        if (signal.aborted) throw cancelled()
        yield rows.slice(start, start + chunk)
      }
    },

    async findByExternalId(pieceName, externalId, signal) {
      const rows = await list({ pieceName }, signal)
      return rows.find((row) => row.pieceName === pieceName && row.externalId === externalId) ?? null
    },

    async upsert(input: RemoteUpsert, signal) {
      if (input.oauthCodeClaim) {
        throw unsupported(
          'Weavz does not claim authorization codes; Latchkey exchanges the code and uploads the tokens.',
        )
      }
      const body: Record<string, unknown> = {
        pieceName: input.pieceName,
        displayName: input.displayName,
        value: input.value,
        externalId: input.externalId,
      }
      const projectId = input.projectIds[0] ?? target.projectId
      if (projectId) body.projectId = projectId
      const answer = await call('POST', WEAVZ_PATH, { body, signal })
      const connection = toWeavzConnection(answer.body)
      if (!connection) throw notDialect(host, 'answered the create without a connection')
      return connection
    },

    async updateMetadata() {
      throw unsupported('Weavz has no update endpoint: a change to a connection is a delete and a create.')
    },

    async delete(remote, signal) {
      let body: unknown
      try {
        ;({ body } = await call('DELETE', `${WEAVZ_PATH}/${encodeURIComponent(remote.remoteId)}`, { signal }))
      } catch (error) {
        if (isRemoteError(error) && error.status === 404 && error.appCode === 'ENTITY_NOT_FOUND') return
        throw error
      }
      // `{ success: true }` in the document, `{ deleted: true, id }` from the live API.
      if (isRecord(body) && (body.success === true || body.deleted === true)) return
      if (body === undefined) return
      throw notDialect(host, 'answered the delete without saying it succeeded')
    },

    async replace() {
      throw unsupported('Weavz has no replace endpoint.')
    },

    async owners() {
      throw unsupported('Weavz does not list connection owners.')
    },
  }
}
