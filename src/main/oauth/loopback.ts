import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { validationError } from '../../shared/errors'
import { CALLBACK_HEADERS, callbackPage } from './callback-page'

/** The path of the redirect URI; anything else on the port is a stray request (REFERENCE.md §5.3 #5). */
export const CALLBACK_PATH = '/callback'

/** What the flow answers a request that reached the callback path. */
export interface CallbackAnswer {
  status: number
  title: string
  message: string
}

export interface Loopback {
  /** `http://127.0.0.1:PORT/callback` (or `[::1]`): the port actually bound, as RFC 8252 §7.3 asks. */
  redirectUri: string
  port: number
  /** Stops listening and drops every socket, idle keep-alives included. Safe to call twice. */
  close(): void
}

/**
 * Listens on the loopback interface only, never on every interface (§5.3 #2): 127.0.0.1 first,
 * [::1] when this machine has no IPv4 loopback. The redirect URI names the IP literal bound, never
 * `localhost`, so the browser cannot resolve it to the other family (§5.3 #1). A fixed port that is
 * taken is refused with a clear error rather than silently moved, since the provider would refuse
 * any other port anyway (§5.3 #3).
 */
export async function openLoopback(options: {
  fixedPort?: number
  onCallback: (query: URLSearchParams) => CallbackAnswer
}): Promise<Loopback> {
  const server = createServer((request, response) => answer(request, response))
  let origin = ''
  let closed = false
  // A flow that ends inside its callback (an error= answer, the one valid code) closes the port
  // only once that answer has been handed to the socket, so the browser still gets its page.
  let answering: ServerResponse | null = null
  const shutDown = () => {
    server.close()
    server.closeAllConnections()
  }
  const answer = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://loopback')
    // A page on another site can make the browser call this port; only the provider's redirect,
    // a top-level GET to our exact host and path, is looked at (DNS rebinding sends another Host).
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH || request.headers.host !== origin) {
      send(response, 404, 'Not found', 'Nothing here.')
      return
    }
    answering = response
    try {
      const result = options.onCallback(url.searchParams)
      send(response, result.status, result.title, result.message)
    } finally {
      answering = null
    }
  }
  const bound = await bind(server, options.fixedPort)
  origin = `${bound.host}:${bound.port}`
  return {
    redirectUri: `http://${origin}${CALLBACK_PATH}`,
    port: bound.port,
    close() {
      if (closed) return
      closed = true
      if (answering) answering.once('finish', shutDown)
      else shutDown()
    },
  }
}

function send(response: ServerResponse, status: number, title: string, message: string): void {
  // Connection: close, so a browser's keep-alive socket does not hold the port after the flow ends.
  response.writeHead(status, { ...CALLBACK_HEADERS, Connection: 'close' })
  response.end(callbackPage(title, message))
}

async function bind(server: Server, fixedPort: number | undefined): Promise<{ host: string; port: number }> {
  try {
    return { host: '127.0.0.1', port: await listen(server, '127.0.0.1', fixedPort ?? 0) }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE' && fixedPort !== undefined) {
      throw validationError(
        `Port ${fixedPort} on 127.0.0.1 is in use by another program, so the provider's redirect cannot reach Latchkey. Close that program, or register another port with the provider and set it here.`,
        [{ path: 'provider.fixedPort', message: `Port ${fixedPort} is in use.` }],
      )
    }
    if (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT') throw error
  }
  // No IPv4 loopback here (an IPv6-only machine or container).
  return { host: '[::1]', port: await listen(server, '::1', fixedPort ?? 0) }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening)
      reject(error)
    }
    const onListening = () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen({ host, port, exclusive: true })
  })
}
