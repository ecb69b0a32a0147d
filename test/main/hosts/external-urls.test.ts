import { describe, expect, it } from 'vitest'
import { mayOpenLink, mayOpenSignIn } from '../../../src/main/hosts/external-urls'

const neverOpened = [
  'http://www.activepieces.com/docs',
  'file:///etc/passwd',
  'smb://server/share',
  'javascript:alert(1)',
  'ms-msdt:/id PCWDiagnostic',
  'https://user:secret@accounts.example.com/authorize',
  'https://token@www.activepieces.com/docs',
  'not a url',
]

describe('which external URL may open', () => {
  it('opens a renderer link only to the documentation hosts over https', () => {
    expect(mayOpenLink('https://www.activepieces.com/docs/')).toBe(true)
    expect(mayOpenLink('https://activepieces.com/')).toBe(true)
    expect(mayOpenLink('https://docs.weavz.io/connections')).toBe(true)
    expect(mayOpenLink('https://activepieces.com.evil.test/')).toBe(false)
    expect(mayOpenLink('https://evilactivepieces.com/')).toBe(false)
    expect(mayOpenLink('https://accounts.google.com/o/oauth2/v2/auth')).toBe(false)
  })

  it('opens a sign-in on any https host the user configured', () => {
    expect(mayOpenSignIn('https://accounts.google.com/o/oauth2/v2/auth?client_id=a&state=b')).toBe(true)
    expect(mayOpenSignIn('https://login.example.internal:8443/authorize')).toBe(true)
  })

  it('opens nothing over another scheme or with credentials in the URL', () => {
    for (const url of neverOpened) {
      expect(mayOpenLink(url), url).toBe(false)
      expect(mayOpenSignIn(url), url).toBe(false)
    }
  })
})
