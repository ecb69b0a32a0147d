import { systemClock } from '../../../../src/main/platform/clock'
import {
  createRemoteClient,
  type RemoteClient,
  type RemoteConnection,
  type RemoteTarget,
} from '../../../../src/main/sync/dialects/remote-client'
import { RemoteError } from '../../../../src/main/sync/dialects/remote-error'

export const signal = new AbortController().signal

export function clientFor(
  target: RemoteTarget,
  options: { pageSize?: number; timeoutMs?: number } = {},
): RemoteClient {
  return createRemoteClient(target, {
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    ...options,
  })
}

export async function pullAll(client: RemoteClient): Promise<{ rows: RemoteConnection[]; pages: number[] }> {
  const rows: RemoteConnection[] = []
  const pages: number[] = []
  for await (const page of client.listPages(signal)) {
    rows.push(...page)
    pages.push(page.length)
  }
  return { rows, pages }
}

/** The RemoteError a call rejects with; fails the test when it resolves or throws anything else. */
export async function remoteFailure(work: Promise<unknown>): Promise<RemoteError> {
  try {
    await work
  } catch (error) {
    if (error instanceof RemoteError) return error
    throw error
  }
  throw new Error('expected the call to fail with a RemoteError')
}

export const secretText = (externalId: string, secret: string, pieceName = '@activepieces/piece-slack') => ({
  externalId,
  displayName: `Name ${externalId}`,
  pieceName,
  type: 'SECRET_TEXT',
  projectIds: [],
  value: { type: 'SECRET_TEXT' as const, secret_text: secret },
})
