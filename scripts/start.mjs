// `npm start [-- browser-mode options]`: the desktop app, or browser mode when the desktop app
// cannot run here. `npm run dev` passes --dev for electron-vite's dev server with hot reload.
//
// The fallback is never silent: one line on stderr says why the desktop app is unavailable, then
// browser mode starts on the same data folder (both hosts use platform/paths.ts's default and
// LATCHKEY_DATA_DIR) and opens it, and its usual line with the URL follows on stdout.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { prepareDesktop } from './desktop/prepare.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const dev = args.includes('--dev')
const passThrough = args.filter((arg) => arg !== '--dev')

const reason = await prepareDesktop({ root })
if (reason) {
  process.stderr.write(
    `Latchkey: the desktop app cannot start: ${reason} Starting browser mode on the same data folder instead.\n`,
  )
  process.argv = [process.argv[0], join(root, 'scripts', 'start-web.mjs'), ...passThrough]
  await import('./start-web.mjs')
} else {
  const electronVite = createRequire(join(root, 'package.json')).resolve('electron-vite/bin/electron-vite.js')
  const child = spawn(process.execPath, [electronVite, dev ? 'dev' : 'preview'], {
    cwd: root,
    stdio: 'inherit',
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
