/**
 * The renderer's Content-Security-Policy, sent as a header by both hosts. Scripts only from the
 * app itself; Radix Dialog injects <style> tags, so styles allow 'unsafe-inline'.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ')
