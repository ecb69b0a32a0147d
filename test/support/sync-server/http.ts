import type { IncomingMessage, ServerResponse } from 'node:http'

/** What a route answers; the server writes it, unless a fault cuts it. */
export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface RouteRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  /** Parsed JSON body, or undefined when there was none; `invalidJson` when it did not parse. */
  body: unknown
  invalidJson: boolean
  /** The body as sent (the OAuth stub reads a form). */
  text: string
}

export const json = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  ...(headers ? { headers } : {}),
})

export async function readRequest(request: IncomingMessage): Promise<RouteRequest> {
  const url = new URL(request.url ?? '/', 'http://sync.test')
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  let body: unknown = undefined
  let invalidJson = false
  if (text.length > 0) {
    try {
      body = JSON.parse(text)
    } catch {
      invalidJson = true
    }
  }
  return {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body,
    invalidJson,
    text,
  }
}

export function encodeReply(reply: Reply): { head: Record<string, string>; payload: Buffer } {
  const payload = reply.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(reply.body), 'utf8')
  const head: Record<string, string> = { ...(reply.headers ?? {}) }
  if (reply.body !== undefined) head['content-type'] = 'application/json; charset=utf-8'
  head['content-length'] = String(payload.length)
  return { head, payload }
}

export function writeReply(response: ServerResponse, reply: Reply): void {
  const { head, payload } = encodeReply(reply)
  response.writeHead(reply.status, head)
  response.end(payload)
}

/** Fastify's answer for a path no route serves (what a wrong base path gets from a real Activepieces). */
export function routeNotFound(method: string, path: string): Reply {
  return json(404, { message: `Route ${method}:${path} not found`, error: 'Not Found', statusCode: 404 })
}

/** Fastify's default schema-failure body (Activepieces sends it as-is, before authentication). */
export function fastifyValidation(message: string): Reply {
  return json(400, { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message })
}

export function bearerToken(headers: IncomingMessage['headers']): string | null {
  const header = headers.authorization
  if (typeof header !== 'string') return null
  const match = /^Bearer\s+(.+)$/i.exec(header.trim())
  return match ? match[1]! : null
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
