import type { RemoteTestResult } from '../../shared/contract/remotes'
import type { RemoteClient } from './dialects/remote-client'
import { isRemoteError } from './dialects/remote-error'
import { failureOf } from './failure'

/**
 * remotes.test: one page of the list, the one call every dialect has and every later sync makes,
 * so a remote that passes can sync. A failure answers its cause in words rather than throwing:
 * a wrong key is a result the form shows, not an error of the call.
 */
export async function testRemote(client: RemoteClient, now: () => number): Promise<RemoteTestResult> {
  const startedMs = now()
  const controller = new AbortController()
  try {
    let connectionCount: number | null = null
    for await (const page of client.listPages(controller.signal)) {
      connectionCount = page.length
      break
    }
    controller.abort()
    return { ok: true, dialect: client.dialect, latencyMs: now() - startedMs, connectionCount }
  } catch (error) {
    if (!isRemoteError(error)) throw error
    return { ok: false, failure: failureOf(error), status: error.status ?? null, message: error.message }
  }
}
