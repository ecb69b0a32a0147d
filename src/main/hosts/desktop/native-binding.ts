import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * better-sqlite3 in node_modules is built for plain Node, which the tests and browser mode use.
 * The desktop app loads a second build made for Electron's ABI by scripts/electron-native.mjs
 * (`.cache/electron-native/<electron version>/`), or the copy packaged under resources/.
 */
export function electronNativeBinding(
  appRoot: string,
  electronVersion: string,
  resourcesPath?: string,
): string {
  const candidates = [
    resourcesPath ? join(resourcesPath, 'native', 'better_sqlite3.node') : null,
    join(appRoot, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node'),
  ].filter((path): path is string => path !== null)
  const found = candidates.find((path) => existsSync(path))
  if (!found) {
    throw new Error(
      `No Electron build of better-sqlite3 for Electron ${electronVersion}. Run "npm start", which builds it.`,
    )
  }
  return found
}
