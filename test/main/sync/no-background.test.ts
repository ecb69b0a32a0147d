import { afterEach, expect, it } from 'vitest'
import { syncHarness, type SyncHarness } from './support'

let harness: SyncHarness | null = null
afterEach(async () => {
  await harness?.dispose()
  harness = null
})

// The CLI opening the vault itself lives for one command (or for `latchkey run -- a-long-job`):
// it must not talk to remotes by itself. Only `sync.run` (the `latchkey sync` command) does.
it('a core without background work never syncs by itself, and still syncs when asked', async () => {
  harness = await syncHarness({ dependencies: { backgroundWork: false } })
  const h = harness
  // No idle lock either, so every timer left would be the engine's or the refresher's.
  await h.call('settings.set', { autoLockMinutes: 0 })
  await h.save('alpha')
  const writesBefore = h.server.writes().length
  // An edit's push settle, the unlock settle and the 5-minute interval, all passed.
  h.clock.advance(30 * 60_000)
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect(h.server.writes().length).toBe(writesBefore)
  expect(h.clock.pendingTimers()).toBe(0)

  const run = await h.sync()
  expect(run).toMatchObject({ pushed: 1, failed: 0, error: null })
  expect(h.server.rows('activepieces').map((row) => row.externalId)).toEqual(['alpha'])
})
