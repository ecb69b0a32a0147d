// Finds the Electron binary that `npm start` runs, and downloads it on first use.
//
// package.json's `allowScripts` keeps Electron's postinstall (a ~100 MB download from GitHub) out of
// `npm install`, so installs succeed on machines that cannot reach GitHub. The download happens
// here instead, the first time someone starts the desktop app, with visible progress. Electron's
// own install.js then unpacks it from @electron/get's cache, so the layout (dist/, path.txt) is
// exactly what `require('electron')` expects.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** Electron's own name for the executable inside dist/ (install.js, getPlatformPath). */
export function electronExecutableName(platform = process.platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

/**
 * Where the binary would be, and whether it is there. Honours ELECTRON_OVERRIDE_DIST_PATH the way
 * `require('electron')` does.
 */
export function electronBinaryStatus({ electronDir, env = process.env, platform = process.platform }) {
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
  const executable = electronExecutableName(platform)
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist')
  const path = join(distDir, executable)
  let installedVersion = null
  try {
    installedVersion = readFileSync(join(distDir, 'version'), 'utf8').trim().replace(/^v/, '')
  } catch {
    // No version file: nothing was unpacked here.
  }
  const present = existsSync(path) && (env.ELECTRON_OVERRIDE_DIST_PATH ? true : installedVersion === version)
  return { version, path, present }
}

/** Renders a byte count the way a progress line needs it. */
const megabytes = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`

/** One progress line per whole percent, overwritten in place on a terminal. */
export function progressReporter(stream = process.stderr) {
  let lastPercent = -1
  return ({ percent, transferred, total }) => {
    const whole = Math.floor(percent * 100)
    if (whole === lastPercent) return
    lastPercent = whole
    const size = total ? ` (${megabytes(transferred)} of ${megabytes(total)})` : ''
    const line = `Downloading Electron: ${whole}%${size}`
    if (stream.isTTY) stream.write(`\r${line}${whole === 100 ? '\n' : ''}`)
    else if (whole % 10 === 0) stream.write(`${line}\n`)
  }
}

/**
 * Downloads Electron into @electron/get's cache with progress, then lets Electron's install.js
 * unpack it. Rejects with an Error whose message says why (no network, mirror 404, disk full).
 */
export async function downloadElectron({ electronDir, onProgress, env = process.env }) {
  const requireFromElectron = createRequire(join(electronDir, 'package.json'))
  const { downloadArtifact } = requireFromElectron('@electron/get')
  const { version } = requireFromElectron('./package.json')
  await downloadArtifact({
    version,
    artifactName: 'electron',
    platform: env.npm_config_platform || process.platform,
    arch: env.npm_config_arch || process.arch,
    cacheRoot: env.electron_config_cache,
    checksums: requireFromElectron('./checksums.json'),
    // Our own progress line replaces @electron/get's bar, which only appears after 30 s.
    downloadOptions: { quiet: true, getProgressCallback: onProgress },
  })
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], {
      cwd: electronDir,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(firstLine(stderr) || `install.js exited with ${code}`)),
    )
  })
}

/** The first meaningful line of an error, for a one-line explanation. */
export function firstLine(text) {
  return (
    String(text)
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line && !line.startsWith('at ')) ?? ''
  )
}

export const electronPackageDir = (root) =>
  dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'))
