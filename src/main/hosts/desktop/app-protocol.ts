import { net, protocol } from 'electron'
import { join, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp'

export const APP_SCHEME = 'app'
export const APP_HOST = 'latchkey'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** Must run before `ready`: app:// behaves like a secure, standard origin (checklist item 18). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the renderer build from app://latchkey/ with the CSP as a header and no path escapes. */
export function serveRenderer(rendererDir: string): void {
  const root = resolve(rendererDir)
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 })
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    const filePath = resolve(join(root, relative))
    if (!filePath.startsWith(root + sep)) return new Response('Not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(filePath).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}
