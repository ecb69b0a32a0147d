// What `npm start` must have before it can open the desktop app, and why it cannot when it cannot.
// Every check answers a sentence a person can act on; start.mjs prints it and falls back to
// browser mode, so a user always gets the app and is told which one.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import {
  downloadElectron,
  electronBinaryStatus,
  electronPackageDir,
  firstLine,
  progressReporter,
} from './electron-binary.mjs'

/** Electron on Linux needs a display server; without one it exits at once with a cryptic error. */
export function displayProblem({ platform = process.platform, env = process.env } = {}) {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return null
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null
  return 'there is no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop app cannot open a window.'
}

/** The last line of a failed build's output usually names the cause (network, compiler, headers). */
function lastLine(text) {
  const lines = String(text)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  return lines.at(-1) ?? ''
}

/**
 * Gets the desktop app ready: the Electron binary (downloaded once, with progress) and
 * better-sqlite3 built for Electron's ABI. Answers null when ready, else the reason it is not.
 */
export async function prepareDesktop({
  root,
  env = process.env,
  platform = process.platform,
  log = process.stderr,
}) {
  const display = displayProblem({ platform, env })
  if (display) return display

  const electronDir = electronPackageDir(root)
  const status = electronBinaryStatus({ electronDir, env, platform })
  if (!status.present) {
    log.write(`Electron ${status.version} is not installed yet: downloading it once (about 100 MB).\n`)
    try {
      await downloadElectron({ electronDir, env, onProgress: progressReporter(log) })
    } catch (error) {
      return `Electron ${status.version} could not be downloaded (${firstLine(error.message)}).`
    }
  }

  const native = spawnSync(process.execPath, [join(root, 'scripts', 'electron-native.mjs')], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
  })
  if (native.status !== 0) {
    log.write(native.stderr ?? '')
    return `better-sqlite3 could not be built for Electron ${status.version} (${lastLine(native.stderr) || `exit ${native.status}`}).`
  }
  return null
}
