import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp'
import { resolveServedFile } from '../serve-path'
import { APP_HOST, APP_SCHEME } from './app-origin'

/** Must run before `ready`: app:// behaves like a secure, standard origin (checklist item 18). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the renderer build from app://latchkey/ with the CSP as a header; containment is serve-path.ts. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const filePath = url.host === APP_HOST ? await resolveServedFile(rendererDir, url.pathname) : null
    if (!filePath) return new Response('Not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(filePath).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}
