import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './test/support/chromium'

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 1,
  // One retry, reported as "flaky" in the summary, never silently: a sync run that stays "Syncing…"
  // was seen once in about five runs of sync.spec (a real bug, open in the closing note of stop 10),
  // and a serial spec that fails skips everything after it. A flaky result is a bug to fix, not a pass.
  retries: 1,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
})
