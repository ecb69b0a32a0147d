import { describe, expect, it } from 'vitest'
import { mayGrantPermission } from '../../../../src/main/hosts/desktop/permissions'

describe('which permission the renderer gets', () => {
  it('grants none, including the ones Electron would grant by default', () => {
    for (const permission of [
      'clipboard-read',
      'clipboard-sanitized-write',
      'media',
      'notifications',
      'geolocation',
      'openExternal',
      'fullscreen',
      'pointerLock',
      'unknown-future-permission',
    ]) {
      expect(mayGrantPermission(permission), permission).toBe(false)
    }
  })
})
