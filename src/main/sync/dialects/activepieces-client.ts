import { pagesWithoutGaps, type ListPage } from './activepieces-pages'
import { toRemoteConnection } from './activepieces-records'
import { activepiecesValue } from './activepieces-value'
import { apiRoot, createHttpCall, hostOf, notDialect, unsupported, type HttpCall } from './http-call'
import type {
  RemoteClient,
  RemoteClientDeps,
  RemoteConnection,
  RemoteOwner,
  RemoteTarget,
  RemoteUpsert,
} from './remote-client'
import { isRemoteError } from './remote-error'

export const ACTIVEPIECES_PATH = '/api/v1/app-connections'
// The server enforces no bound (§1.2); fewer, larger pages cost less than many small ones, and
// a page of 500 rows without values is well under a megabyte.
export const DEFAULT_PAGE_SIZE = 500

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The Activepieces client, written to the real server's behaviour (REFERENCE.md §1.1–1.14). */
export function createActivepiecesClient(
  target: RemoteTarget,
  deps: RemoteClientDeps & { pageSize?: number },
): RemoteClient {
  const call: HttpCall = createHttpCall({ ...target, baseUrl: apiRoot(target.baseUrl) }, deps)
  const host = hostOf(target.baseUrl)
  const pageSize = deps.pageSize ?? DEFAULT_PAGE_SIZE

  function projectId(): string {
    if (!target.projectId)
      throw unsupported('An Activepieces remote needs its project id (list, owners and replace require it).')
    return target.projectId
  }

  function connectionFrom(body: unknown, what: string): RemoteConnection {
    const connection = toRemoteConnection(body)
    if (!connection) throw notDialect(host, `answered ${what} without a connection`)
    return connection
  }

  async function listPage(
    query: { limit: number; cursor: string | undefined; pieceName?: string },
    signal: AbortSignal,
  ): Promise<ListPage> {
    const { body } = await call('GET', ACTIVEPIECES_PATH, {
      query: {
        projectId: projectId(),
        limit: String(query.limit),
        cursor: query.cursor,
        pieceName: query.pieceName,
      },
      signal,
    })
    if (!isRecord(body) || !Array.isArray(body.data))
      throw notDialect(host, 'answered the connection list without a data array')
    const data = body.data.map((item) => connectionFrom(item, 'the connection list'))
    const next = typeof body.next === 'string' && body.next.length > 0 ? body.next : null
    return { data, next }
  }

  return {
    dialect: 'activepieces',
    supports: { updateMetadata: true, replace: true, owners: true, tokenUpload: false, codeClaim: true },

    listPages(signal) {
      return pagesWithoutGaps((query, inner) => listPage(query, inner), pageSize, signal)
    },

    async findByExternalId(pieceName, externalId, signal) {
      for await (const page of pagesWithoutGaps(
        (query, inner) => listPage({ ...query, pieceName }, inner),
        pageSize,
        signal,
      )) {
        const found = page.find((row) => row.externalId === externalId)
        if (found) return found
      }
      return null
    },

    async upsert(input: RemoteUpsert, signal) {
      const body: Record<string, unknown> = {
        externalId: input.externalId,
        displayName: input.displayName,
        pieceName: input.pieceName,
        projectId: projectId(),
        type: input.oauthCodeClaim ? input.type : input.value.type,
        value: activepiecesValue(input),
      }
      if (input.metadata !== undefined) body.metadata = input.metadata
      const answer = await call('POST', ACTIVEPIECES_PATH, { body, signal })
      return connectionFrom(answer.body, 'the upsert')
    },

    async updateMetadata(remote, patch, signal) {
      const body: Record<string, unknown> = { displayName: patch.displayName ?? remote.displayName }
      if (patch.metadata !== undefined) body.metadata = patch.metadata
      const answer = await call('POST', `${ACTIVEPIECES_PATH}/${encodeURIComponent(remote.remoteId)}`, {
        body,
        signal,
      })
      const updated = connectionFrom(answer.body, 'the update')
      // The answer carries neither owner nor flowIds (§1.14): keep what the pull knew.
      return {
        ...updated,
        flowIds: remote.flowIds,
        ...(remote.owner === undefined ? {} : { owner: remote.owner }),
      }
    },

    async delete(remote, signal) {
      try {
        await call('DELETE', `${ACTIVEPIECES_PATH}/${encodeURIComponent(remote.remoteId)}`, { signal })
      } catch (error) {
        // Already gone is what a delete wanted; a missing route (wrong base URL) is not.
        if (isRemoteError(error) && error.status === 404 && error.remoteCode === 'ENTITY_NOT_FOUND') return
        throw error
      }
    },

    async replace(input, signal) {
      await call('POST', `${ACTIVEPIECES_PATH}/replace`, {
        body: {
          sourceAppConnectionId: input.sourceRemoteId,
          targetAppConnectionId: input.targetRemoteId,
          projectId: projectId(),
          deleteSourceConnection: input.deleteSourceConnection,
          applyToPublishedVersions: input.applyToPublishedVersions,
        },
        signal,
      })
    },

    async owners(signal): Promise<RemoteOwner[]> {
      const { body } = await call('GET', `${ACTIVEPIECES_PATH}/owners`, {
        query: { projectId: projectId() },
        signal,
      })
      if (!isRecord(body) || !Array.isArray(body.data))
        throw notDialect(host, 'answered the owner list without a data array')
      const owners: RemoteOwner[] = []
      for (const item of body.data) {
        if (!isRecord(item)) continue
        const email = typeof item.email === 'string' ? item.email : undefined
        const id = typeof item.id === 'string' ? item.id : email
        if (id === undefined) continue
        const name = [item.firstName, item.lastName]
          .filter((part) => typeof part === 'string' && part.length > 0)
          .join(' ')
        owners.push({ id, ...(email === undefined ? {} : { email }), ...(name ? { name } : {}) })
      }
      return owners
    },
  }
}
