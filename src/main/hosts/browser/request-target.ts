/**
 * The path of a request target in origin-form (RFC 9112 §3.2.1: an absolute path and an optional
 * query), or null for any other form. The absolute-form (`GET http://other.example/api/...`) names
 * a host of its own, which would then disagree with the Host header the guards check; the
 * authority-form (CONNECT) and asterisk-form (OPTIONS *) are not for this server. The path is taken
 * as sent: never through a URL parser, which would read `//other.example/x` as a host.
 */
export function originFormPath(target: string | undefined): string | null {
  if (target === undefined || !target.startsWith('/')) return null
  // A fragment is never sent; a raw space or control character is not a valid target.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
  if (/[#\s\u0000-\u001f\u007f]/.test(target)) return null
  const query = target.indexOf('?')
  return query === -1 ? target : target.slice(0, query)
}
