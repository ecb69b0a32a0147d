import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AppError, type ErrorObject } from '../../../shared/errors'
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp'
import type { LatchkeyCore } from '../../core'
import { decodeUrlPath } from '../serve-path'
import { hasToken, isOwnHost, isOwnOriginOrNone } from './request-guard'
import { originFormPath } from './request-target'
import { readStaticFile } from './static-files'

const RPC_PREFIX = '/api/rpc/'
const MAX_BODY_BYTES = 4 * 1024 * 1024
const SSE_HEARTBEAT_MS = 15_000

export interface BrowserServerOptions {
  core: LatchkeyCore
  rendererDir: string
  /** 0 picks a free port. */
  port: number
  /** Injected so tests can pin it; the product uses 256 random bits. */
  token?: string
}

export interface RunningBrowserServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

export function generateToken(): string {
  return randomBytes(32).toString('base64url')
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

function sendError(response: ServerResponse, error: ErrorObject, headers: Record<string, string> = {}): void {
  response.writeHead(error.statusCode, {
    ...SECURITY_HEADERS,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  })
  response.end(JSON.stringify(error))
}

/**
 * 405, in the error object like every other refusal. No code of the contract is "method not
 * allowed", so it is a VALIDATION error (the request is malformed for this address) whose status
 * says which kind; `Allow` names the methods that are.
 */
function sendMethodNotAllowed(response: ServerResponse, allow: string): void {
  const error = new AppError('VALIDATION', { message: `This address answers ${allow} only.` }).toObject()
  sendError(response, { ...error, statusCode: 405 }, { Allow: allow })
}

const notFound = (entityType: string, entityId: string, message: string) =>
  new AppError('ENTITY_NOT_FOUND', { entityType, entityId, message }).toObject()

/**
 * The JSON answer of a call, with how long each step of it took (Server-Timing, ms): reading the
 * body, the guards, the router (validation and the handler) and serializing the answer. Only an
 * authenticated caller gets it, and it holds durations, never data.
 */
function sendRpc(response: ServerResponse, statusCode: number, body: string, timing: RequestTiming): void {
  response.writeHead(statusCode, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Server-Timing': timing.header(),
  })
  response.end(body)
}

interface RequestTiming {
  /** Ends the step that began at the last mark (or at the request's arrival) under `name`. */
  mark(name: string): void
  header(): string
}

function startTiming(): RequestTiming {
  let last = performance.now()
  const steps: string[] = []
  return {
    mark(name) {
      const now = performance.now()
      steps.push(`${name};dur=${(now - last).toFixed(2)}`)
      last = now
    },
    header: () => steps.join(', '),
  }
}

const forbidden = (message: string) => new AppError('FORBIDDEN', { message }).toObject()

const tooLarge = () => new AppError('VALIDATION', { message: 'The request body is too large.' })

/**
 * The body as JSON, refused past MAX_BODY_BYTES however it arrives (a declared length is checked
 * before a byte is read, a chunked body as it streams). Stream events rather than `for await`:
 * a keystroke's body is one small chunk, and the async iterator costs a promise and a turn per chunk.
 */
function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const declared = Number(request.headers['content-length'])
  if (declared > MAX_BODY_BYTES) return Promise.reject(tooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const fail = (error: Error) => {
      if (settled) return
      settled = true
      reject(error)
    }
    request.on('data', (chunk: Buffer) => {
      if (settled) return
      size += chunk.length
      if (size > MAX_BODY_BYTES) fail(tooLarge())
      else chunks.push(chunk)
    })
    request.once('error', fail)
    // A caller that goes away mid-body: the request never ends, so nothing must wait for it.
    request.once('close', () =>
      fail(new AppError('VALIDATION', { message: 'The request body did not arrive in full.' })),
    )
    request.once('end', () => {
      if (settled) return
      settled = true
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')
      if (text.trim() === '') return resolve({})
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(new AppError('VALIDATION', { message: 'The request body is not valid JSON.' }))
      }
    })
  })
}

/**
 * Browser mode: the renderer build and the same router the desktop app uses, over loopback HTTP.
 * It listens on 127.0.0.1 only, so nothing off this machine can reach it.
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<RunningBrowserServer> {
  const token = options.token ?? generateToken()
  const { core } = options
  let port = options.port
  const openStreams = new Set<ServerResponse>()

  async function handleRpc(
    request: IncomingMessage,
    response: ServerResponse,
    name: string,
    timing: RequestTiming,
  ): Promise<void> {
    if (request.method !== 'POST') return sendMethodNotAllowed(response, 'POST')
    const contentType = request.headers['content-type'] ?? ''
    // A form post from a foreign page cannot set application/json without a CORS preflight we never grant.
    if (!contentType.toLowerCase().startsWith('application/json')) {
      sendError(
        response,
        new AppError('VALIDATION', { message: 'Send the request as application/json.' }).toObject(),
      )
      return
    }
    timing.mark('guards')
    let input: unknown
    try {
      input = await readJsonBody(request)
    } catch (error) {
      sendError(response, (error as AppError).toObject())
      return
    }
    timing.mark('body')
    const result = await core.router.dispatch(name, input, { origin: 'browser' })
    timing.mark('dispatch')
    const body = JSON.stringify(result.ok ? result.value : result.error)
    timing.mark('serialize')
    sendRpc(response, result.ok ? 200 : result.error.statusCode, body, timing)
  }

  function handleEvents(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    })
    response.write(': connected\n\n')
    const send = (name: string, payload: unknown) =>
      response.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)
    const unsubscribe = core.events.subscribe(send)
    send('app.ready', { host: 'browser' })
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS)
    heartbeat.unref()
    openStreams.add(response)
    request.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
      openStreams.delete(response)
    })
  }

  async function handleStatic(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
  ): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return sendMethodNotAllowed(response, 'GET, HEAD')
    const file = await readStaticFile(options.rendererDir, path)
    // A malformed escape is refused by the same rule as the desktop's app:// (serve-path.ts): 404.
    if (!file) return sendError(response, notFound('file', path, 'Not found.'))
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': path === '/' || path.endsWith('.html') ? 'no-store' : 'no-cache',
    })
    response.end(request.method === 'HEAD' ? undefined : file.body)
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const timing = startTiming()
    if (!isOwnHost(request, port))
      return sendError(response, forbidden('This server only answers requests addressed to it.'))
    if (!isOwnOriginOrNone(request, port))
      return sendError(response, forbidden('Requests from other origins are refused.'))
    const path = originFormPath(request.url)
    if (path === null) {
      return sendError(
        response,
        new AppError('VALIDATION', {
          message: 'The request target must be a path on this server, such as /api/rpc/app.info.',
        }).toObject(),
      )
    }
    if (!path.startsWith('/api/')) return handleStatic(request, response, path)
    if (!hasToken(request, token)) {
      return sendError(
        response,
        new AppError('AUTHENTICATION', { message: 'A valid session token is required.' }).toObject(),
      )
    }
    if (path === '/api/events' && request.method === 'GET') return handleEvents(request, response)
    if (path.startsWith(RPC_PREFIX)) {
      const name = decodeUrlPath(path.slice(RPC_PREFIX.length))
      if (name === null) {
        return sendError(
          response,
          notFound('procedure', path.slice(RPC_PREFIX.length), 'No procedure has this name.'),
        )
      }
      return handleRpc(request, response, name, timing)
    }
    sendError(response, notFound('route', path, 'No such route.'))
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent)
        sendError(response, new AppError('INTERNAL', { message: 'The request failed.' }).toObject())
      else response.end()
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    async close() {
      for (const stream of openStreams) stream.end()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // close() only stops accepting; its callback waits for every connection to end, so a request
      // still in flight (or a keep-alive socket a browser holds) would keep shutdown waiting forever.
      server.closeAllConnections()
      await closed
    },
  }
}
