/**
 * Two rules for what leaves the app for the system browser, because two different parties ask.
 *
 * - A link the renderer opens (`window.open`, target=_blank) comes from page content, so only https
 *   pages on the documentation hosts Latchkey links to may open.
 * - A sign-in the core opens (OAuth's authorization URL) goes to whatever provider the user
 *   configured, so any host is allowed, but only over https and with no credentials in the URL:
 *   no other scheme (file:, smb:, a custom handler) ever reaches the OS's opener.
 */
const DOCUMENTATION_HOSTS = ['activepieces.com', 'weavz.io']

export function mayOpenLink(url: string): boolean {
  const parsed = parseHttps(url)
  if (!parsed) return false
  const host = parsed.hostname
  return DOCUMENTATION_HOSTS.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))
}

export function mayOpenSignIn(url: string): boolean {
  return parseHttps(url) !== null
}

function parseHttps(url: string): URL | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '') return null
  if (parsed.username !== '' || parsed.password !== '') return null
  return parsed
}
