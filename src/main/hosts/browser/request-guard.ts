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

export function isOwnHost(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host
  return typeof host === 'string' && allowedHosts(port).has(host.toLowerCase())
}

export function isOwnOriginOrNone(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  const hosts = allowedHosts(port)
  return [...hosts].some((host) => origin.toLowerCase() === `http://${host}`)
}

export function hasToken(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false
  const offered = Buffer.from(header.slice('Bearer '.length).trim())
  const expected = Buffer.from(token)
  return offered.length === expected.length && timingSafeEqual(offered, expected)
}
