/**
 * What a person's browser does with an authorization URL, over plain HTTP: follows redirects,
 * keeps the provider's cookies, and submits oidc-provider's development login and consent forms.
 * It stops at the redirect to the app (`stopAt`) or follows it into the loopback listener.
 */
export async function browse(
  startUrl: string,
  options: { stopAt?: (url: URL) => boolean; abortConsent?: boolean } = {},
): Promise<{ url: URL; status: number; body: string }> {
  const cookies = new Map<string, string>()
  let url = new URL(startUrl)
  let method = 'GET'
  let body: string | undefined
  const providerOrigin = url.origin
  for (let hop = 0; hop < 20; hop += 1) {
    if (options.stopAt?.(url)) return { url, status: 0, body: '' }
    const headers: Record<string, string> = {}
    if (url.origin === providerOrigin && cookies.size > 0) {
      headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    }
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
    const response = await fetch(url, { method, headers, body, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair!.indexOf('=')
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1))
    }
    const text = await response.text()
    method = 'GET'
    body = undefined
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url)
      continue
    }
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(text)
    if (response.status === 200 && form && url.origin === providerOrigin) {
      const action = new URL(form[1]!.replace(/&amp;/g, '&'), url)
      if (text.includes('name="login"')) {
        body = new URLSearchParams({
          prompt: 'login',
          login: 'person@example.com',
          password: 'any',
        }).toString()
        url = action
      } else if (options.abortConsent) {
        url = new URL(`${action.pathname}/abort`, url)
      } else {
        body = new URLSearchParams({ prompt: 'consent' }).toString()
        url = action
      }
      method = body === undefined ? 'GET' : 'POST'
      continue
    }
    return { url, status: response.status, body: text }
  }
  throw new Error('Too many redirects')
}
