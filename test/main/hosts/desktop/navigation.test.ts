import { describe, expect, it } from 'vitest'
import { APP_ORIGIN, originOf } from '../../../../src/main/hosts/desktop/app-origin'
import { mayNavigate } from '../../../../src/main/hosts/desktop/navigation'

const appOnly = new Set([APP_ORIGIN])

describe('which URL may load in the window', () => {
  it('allows any page of the app:// origin', () => {
    expect(mayNavigate('app://latchkey/index.html', appOnly)).toBe(true)
    expect(mayNavigate('app://latchkey/connections?x=1#top', appOnly)).toBe(true)
  })

  it('refuses other hosts, schemes and look-alikes', () => {
    for (const url of [
      'app://latchkey.evil/index.html',
      'app://evil/latchkey',
      'https://latchkey/index.html',
      'file:///home/user/index.html',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'about:blank',
      'app:///index.html',
      'app://user@latchkey/index.html',
      'not a url',
    ]) {
      expect(mayNavigate(url, appOnly), url).toBe(false)
    }
  })

  it('builds app:// origins that Node reports as "null"', () => {
    expect(new URL('app://latchkey/x').origin).toBe('null')
    expect(originOf('app://latchkey/x')).toBe('app://latchkey')
    expect(originOf('http://localhost:5173/a')).toBe('http://localhost:5173')
    expect(originOf('https://example.com:443/')).toBe('https://example.com')
  })
})
