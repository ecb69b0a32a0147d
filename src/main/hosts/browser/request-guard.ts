import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * A loopback server is reachable from any web page the user visits: a page can aim requests at
 * 127.0.0.1, and DNS rebinding can make a foreign name resolve there. So every request must name
 * us in `Host`, any `Origin` must be our own, and API calls must carry the token we printed.
 */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`])
}

/**
 * Exactly one Host header, naming us. Node keeps only the first of two (request.headers), so the
 * count comes from headersDistinct: a request that names two hosts is refused, not half-read.
 */
export function isOwnHost(request: IncomingMessage, port: number): boolean {
  const hosts = request.headersDistinct.host
  return hosts?.length === 1 && allowedHosts(port).has(hosts[0]!.toLowerCase())
}

export function isOwnOriginOrNone(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  const hosts = allowedHosts(port)
  return [...hosts].some((host) => origin.toLowerCase() === `http://${host}`)
}

/**
 * `Authorization: Bearer <token>` exactly (RFC 6750 §2.1: the scheme, one space, the b64token), in
 * exactly one header. Node keeps the first of two Authorization headers and drops the rest, so the
 * count comes from headersDistinct; extra spaces, a trailing space or a second header are refused
 * rather than tidied up, so only the form our own client sends is ever accepted.
 */
export function hasToken(request: IncomingMessage, token: string): boolean {
  const headers = request.headersDistinct.authorization
  if (headers?.length !== 1) return false
  const match = BEARER.exec(headers[0]!)
  if (!match) return false
  const offered = Buffer.from(match[1]!)
  const expected = Buffer.from(token)
  return offered.length === expected.length && timingSafeEqual(offered, expected)
}

/** The scheme is case-insensitive (RFC 9110 §11.1); the token is RFC 6750's b64token. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i
