import type { Transport } from '../../../shared/client'
import type { EventName } from '../../../shared/contract'
import { isErrorObject, remoteUnavailableError } from '../../../shared/errors'
import { createSseParser } from './sse'

const TOKEN_KEY = 'latchkey.sessionToken'
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000]

/**
 * Takes the session token from the URL fragment (never sent to a server, never in a log), keeps it
 * for this tab only and removes it from the address bar.
 */
export function takeSessionToken(
  location: { hash: string; pathname: string; search: string },
  history: { replaceState(data: null, unused: string, url: string): void },
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void },
): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash)
  if (match?.[1]) {
    storage.setItem(TOKEN_KEY, match[1])
    history.replaceState(null, '', location.pathname + location.search)
    return match[1]
  }
  return storage.getItem(TOKEN_KEY)
}

const unreachable = () =>
  remoteUnavailableError('Latchkey is not answering. Is browser mode still running?').toObject()

/** Browser mode's transport: HTTP to the same router the desktop app reaches over IPC. */
export function createWebTransport(
  token: string | null,
  fetchImpl: typeof fetch = fetch.bind(globalThis),
): Transport {
  const headers = { Authorization: `Bearer ${token ?? ''}` }
  return {
    async invoke(name, input) {
      let response: Response
      try {
        response = await fetchImpl(`/api/rpc/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        })
      } catch {
        return { ok: false, error: unreachable() }
      }
      const body: unknown = await response.json().catch(() => null)
      if (response.ok) return { ok: true, value: body }
      return { ok: false, error: isErrorObject(body) ? body : unreachable() }
    },
    subscribe(listener) {
      let stopped = false
      let controller: AbortController | null = null
      let attempt = 0
      const connect = async () => {
        while (!stopped) {
          controller = new AbortController()
          try {
            const response = await fetchImpl('/api/events', { headers, signal: controller.signal })
            if (!response.ok || !response.body) throw new Error('events unavailable')
            attempt = 0
            const parse = createSseParser(({ event, data }) => listener(event as EventName, JSON.parse(data)))
            const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
            for (;;) {
              const { value, done } = await reader.read()
              if (done) break
              parse(value)
            }
          } catch {
            // Dropped or refused: fall through to the backoff below.
          }
          if (stopped) return
          const delay = RECONNECT_DELAYS_MS[Math.min(attempt++, RECONNECT_DELAYS_MS.length - 1)]
          await new Promise((resolve) => setTimeout(resolve, delay))
        }
      }
      void connect()
      return () => {
        stopped = true
        controller?.abort()
      }
    },
  }
}
