import { describe, expect, it } from 'vitest'
import { decideRendererSource } from '../../../../src/main/hosts/desktop/renderer-source'
import { mayNavigate } from '../../../../src/main/hosts/desktop/navigation'

describe('where the desktop renderer comes from', () => {
  it('serves the build over app:// with DevTools off in an installed app', () => {
    const source = decideRendererSource({ isPackaged: true, env: {} })
    expect(source).toMatchObject({ url: 'app://latchkey/index.html', servesBuild: true, devTools: false })
    expect([...source.trustedOrigins]).toEqual(['app://latchkey'])
  })

  it('ignores ELECTRON_RENDERER_URL in a packaged app, and trusts nothing it names', () => {
    const source = decideRendererSource({
      isPackaged: true,
      env: { ELECTRON_RENDERER_URL: 'http://localhost:5173', NODE_ENV: 'development' },
    })
    expect(source.url).toBe('app://latchkey/index.html')
    expect(source.devTools).toBe(false)
    expect(mayNavigate('http://localhost:5173/', source.trustedOrigins)).toBe(false)
  })

  it('loads the dev server in a development run and trusts exactly its origin', () => {
    const source = decideRendererSource({
      isPackaged: false,
      env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' },
    })
    expect(source).toMatchObject({ url: 'http://localhost:5173', servesBuild: false, devTools: true })
    expect(mayNavigate('http://localhost:5173/index.html', source.trustedOrigins)).toBe(true)
    expect(mayNavigate('http://localhost:5173.evil/', source.trustedOrigins)).toBe(false)
    expect(mayNavigate('http://localhost:5174/', source.trustedOrigins)).toBe(false)
    expect(mayNavigate('https://localhost:5173/', source.trustedOrigins)).toBe(false)
  })

  it('opens DevTools in a development run without a dev server, whatever NODE_ENV says', () => {
    expect(decideRendererSource({ isPackaged: false, env: { NODE_ENV: 'production' } }).devTools).toBe(true)
    expect(decideRendererSource({ isPackaged: true, env: { NODE_ENV: 'development' } }).devTools).toBe(false)
  })

  it('ignores a dev server URL that is not http(s) or hides a host behind credentials', () => {
    for (const value of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
      'http://localhost:5173@evil.test/',
    ]) {
      const source = decideRendererSource({ isPackaged: false, env: { ELECTRON_RENDERER_URL: value } })
      expect(source.url, value).toBe('app://latchkey/index.html')
      expect([...source.trustedOrigins], value).toEqual(['app://latchkey'])
    }
  })
})
