import { existsSync } from 'node:fs'

/** Debian's Chromium (CHROMIUM_PATH, else /usr/bin/chromium), else Playwright's own browser. */
export function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p): p is string => !!p)
  return candidates.find((path) => existsSync(path))
}

const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0

/** How the end-to-end tests and the UI benchmark launch Chromium here. */
export const chromiumLaunchOptions = {
  executablePath: chromiumExecutable(),
  // Chromium's sandbox cannot start as root; this closed network refuses its background traffic.
  args: [
    ...(runningAsRoot ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
}
