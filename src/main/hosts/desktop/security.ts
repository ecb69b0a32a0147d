import { app, session, shell } from 'electron'

/** Only https links to well-known documentation hosts leave the app, and only in the system browser. */
const EXTERNAL_ALLOWLIST = [
  /^https:\/\/([a-z0-9-]+\.)*activepieces\.com\//,
  /^https:\/\/([a-z0-9-]+\.)*weavz\.io\//,
]

export function openExternalSafely(url: string): void {
  if (EXTERNAL_ALLOWLIST.some((pattern) => pattern.test(url))) void shell.openExternal(url)
}

/**
 * Guards installed once for every web contents the app ever creates (Electron's checklist items
 * 4, 12–14): no navigation away, no new windows, no webviews, no permissions.
 */
export function installSecurityGuards(isAppUrl: (url: string) => boolean): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(url)
      return { action: 'deny' }
    })
  })
}
