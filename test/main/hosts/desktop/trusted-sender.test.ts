import { describe, expect, it } from 'vitest'
import { isTrustedSender, type IpcSender } from '../../../../src/main/hosts/desktop/trusted-sender'

const trust = { contentsIds: new Set([7]), origins: new Set(['app://latchkey']) }
const fromApp: IpcSender = { contentsId: 7, frameUrl: 'app://latchkey/index.html', isTopFrame: true }

describe('which IPC sender is trusted', () => {
  it('trusts the top frame of the trusted window on the app origin', () => {
    expect(isTrustedSender(fromApp, trust)).toBe(true)
  })

  it('refuses a window the host did not create', () => {
    expect(isTrustedSender({ ...fromApp, contentsId: 8 }, trust)).toBe(false)
  })

  it('refuses an embedded frame, even on the app origin', () => {
    expect(isTrustedSender({ ...fromApp, isTopFrame: false }, trust)).toBe(false)
  })

  it('refuses a frame that is gone', () => {
    expect(isTrustedSender({ ...fromApp, frameUrl: undefined }, trust)).toBe(false)
  })

  it('refuses the trusted window once it shows another origin', () => {
    for (const frameUrl of [
      'https://evil.test/',
      'app://latchkey.evil/',
      'file:///tmp/x.html',
      'about:blank',
    ]) {
      expect(isTrustedSender({ ...fromApp, frameUrl }, trust), frameUrl).toBe(false)
    }
  })

  it('compares the dev server by whole origin, so localhost:5173.evil is refused', () => {
    const dev = { contentsIds: new Set([7]), origins: new Set(['app://latchkey', 'http://localhost:5173']) }
    expect(isTrustedSender({ ...fromApp, frameUrl: 'http://localhost:5173/' }, dev)).toBe(true)
    expect(isTrustedSender({ ...fromApp, frameUrl: 'http://localhost:5173.evil/' }, dev)).toBe(false)
    expect(isTrustedSender({ ...fromApp, frameUrl: 'http://localhost:51730/' }, dev)).toBe(false)
  })
})
