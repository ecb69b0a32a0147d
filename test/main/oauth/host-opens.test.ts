import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createEventBus } from '../../../src/main/api/event-bus'
import { createFlows } from '../../../src/main/oauth/flows'
import { resolveProvider } from '../../../src/main/oauth/provider'
import { systemClock } from '../../../src/main/platform/clock'

// Who opens the authorization page: the desktop's shell.openExternal, or (browser mode, whose host
// has no browser of its own) the page itself in a new tab. oauth.start says which, as `opened`.
const provider = () =>
  resolveProvider(
    {
      kind: 'custom',
      authorizationUrl: 'https://idp.test/authorize',
      tokenUrl: 'https://idp.test/token',
      clientId: 'latchkey-desktop',
    },
    fetch,
  )

function flowsWith(openExternal: ((url: string) => Promise<void>) | null) {
  return createFlows({
    clock: systemClock,
    random: randomBytes,
    fetch,
    openExternal,
    events: createEventBus(),
  })
}

describe('oauth.start’s `opened`', () => {
  it('is true when the host opens the page, which it is handed', async () => {
    const opened: string[] = []
    const flows = flowsWith(async (url) => void opened.push(url))
    const started = await flows.start(await provider(), () => 'unused', { origin: 'test' })
    try {
      expect(started.opened).toBe(true)
      expect(opened).toEqual([started.authorizationUrl])
    } finally {
      flows.cancel(started.flowId)
    }
  })

  it('is false for a host with no browser of its own, so the page opens it', async () => {
    const flows = flowsWith(null)
    const started = await flows.start(await provider(), () => 'unused', { origin: 'test' })
    try {
      expect(started.opened).toBe(false)
      expect(new URL(started.authorizationUrl).origin).toBe('https://idp.test')
    } finally {
      flows.cancel(started.flowId)
    }
  })
})
