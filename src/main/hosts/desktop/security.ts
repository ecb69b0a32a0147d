import { app, session, shell } from 'electron'
import type { OpenExternal } from '../../adapters/open-external'
import { AppError } from '../../../shared/errors'
import { mayOpenLink, mayOpenSignIn } from '../external-urls'
import { mayNavigate } from './navigation'
import { mayGrantPermission } from './permissions'

/**
 * The only place the desktop app hands a URL to the OS. Callers pass the rule that applies
 * (external-urls.ts); a refused URL never reaches shell.openExternal, and the error does not quote
 * it (an authorization URL carries state).
 */
function openOutside(url: string, allowed: (url: string) => boolean): Promise<void> {
  if (!allowed(url)) {
    return Promise.reject(
      new AppError('VALIDATION', { message: 'Latchkey only opens https addresses without credentials.' }),
    )
  }
  return shell.openExternal(url)
}

/** The core's OpenExternal on the desktop: sign-ins (OAuth), under the https-only rule. */
export const openSignInExternally: OpenExternal = (url) => openOutside(url, mayOpenSignIn)

/**
 * Guards installed once for every web contents the app ever creates (Electron's checklist items
 * 4, 12–14): no navigation away, no new windows, no webviews, no permissions. Each decision is a
 * plain function tested in Node; this file only wires them to Electron's events.
 */
export function installSecurityGuards(trustedOrigins: ReadonlySet<string>): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(mayGrantPermission(permission)),
  )
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => mayGrantPermission(permission))
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!mayNavigate(url, trustedOrigins)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!mayNavigate(url, trustedOrigins)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      // A documentation link opens in the system browser; nothing ever opens inside the app.
      openOutside(url, mayOpenLink).catch(() => {})
      return { action: 'deny' }
    })
  })
}
