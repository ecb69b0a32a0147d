/** The desktop renderer's own origin. Electron-free, so the guards that compare with it run in Node. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'latchkey'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

/**
 * `scheme://host[:port]` of a URL, or null when it has none. Node's URL reports the origin of any
 * non-special scheme (app:) as "null", so comparing `new URL(x).origin` would never match app://;
 * this builds it the way Chromium does for a standard scheme. A URL with credentials has no origin
 * we trust: `http://localhost:5173@evil/` is the kind of address that fools a reader.
 */
export function originOf(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.host === '' || parsed.username !== '' || parsed.password !== '') return null
  return `${parsed.protocol}//${parsed.host}`
}
