/**
 * Only http(s) leaves the app: https anywhere, plain http only to this machine (a local
 * authorization server), never javascript:, data: or a custom scheme.
 */
export function mayOpenInTab(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.username || parsed.password) return false
  if (parsed.protocol === 'https:') return true
  return parsed.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname)
}
