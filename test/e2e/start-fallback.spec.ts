import { expect, test } from '@playwright/test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBrowserMode, type BrowserModeProcess } from '../support/browser-mode'

// `npm start` exactly as the README says it, on a machine where Electron cannot be downloaded.
// The download goes to a real HTTP server on loopback that has no Electron (404), so the test
// behaves the same on a connected machine as on this one, and never fetches 100 MB.

const electronVersion = (
  JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'node_modules', 'electron', 'package.json'), 'utf8'),
  ) as {
    version: string
  }
).version

let mirror: Server
const mirrorRequests: string[] = []
let scratch: string
let app: BrowserModeProcess

test.beforeAll(async () => {
  mirror = createServer((request, response) => {
    mirrorRequests.push(request.url ?? '')
    response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve))
  scratch = mkdtempSync(join(tmpdir(), 'latchkey-start-'))
  const { port } = mirror.address() as AddressInfo
  app = await startBrowserMode({
    command: ['npm', 'start', '--'],
    env: {
      ...process.env,
      // A display, so the launcher gets as far as the download on a headless machine too.
      DISPLAY: process.env.DISPLAY ?? ':99',
      ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
      // Electron's own variables: an empty dist folder and cache, as on a fresh install.
      ELECTRON_OVERRIDE_DIST_PATH: mkdtempSync(join(scratch, 'dist-')),
      electron_config_cache: mkdtempSync(join(scratch, 'cache-')),
    },
  })
})

test.afterAll(async () => {
  await app?.stop()
  await new Promise((resolve) => mirror?.close(resolve))
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

test('npm start downloads Electron on demand, says why it cannot, and serves browser mode instead', async ({
  page,
}) => {
  expect(mirrorRequests.some((url) => url.includes(`electron-v${electronVersion}-`))).toBe(true)
  const notices = app
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('Latchkey: '))
  expect(notices).toEqual([
    expect.stringMatching(
      new RegExp(
        `^Latchkey: the desktop app cannot start: Electron ${electronVersion.replaceAll('.', '\\.')} ` +
          'could not be downloaded \\(.*404.*\\)\\. Starting browser mode on the same data folder instead\\.$',
      ),
    ),
  ])
  // npm prints its own "> latchkey@0.1.0 start" banner; Latchkey's one line is the URL.
  expect(app.stdoutLines.filter((line) => line.startsWith('Latchkey'))).toEqual([
    expect.stringMatching(/^Latchkey running at http:\/\/127\.0\.0\.1:\d+\/#token=/),
  ])

  await page.goto(app.url)
  await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible()
})
