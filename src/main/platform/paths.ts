import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_NAME = 'Latchkey'

export interface PathEnvironment {
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  home: string
}

/**
 * Where the desktop app keeps its data: Electron's `userData` for an app named Latchkey
 * (appData/Latchkey). Browser mode computes the same folder without Electron so both see one
 * vault; `LATCHKEY_DATA_DIR` overrides it for both.
 */
export function defaultDataDir(
  environment: PathEnvironment = { platform: process.platform, env: process.env, home: homedir() },
): string {
  const { platform, env, home } = environment
  if (env.LATCHKEY_DATA_DIR) return env.LATCHKEY_DATA_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME)
}
