import { defaultRendererDir, runBrowserMode } from './cli'

// Built to out/main/browser-mode.js and run with plain Node by scripts/start-web.mjs.
runBrowserMode(process.argv.slice(2), defaultRendererDir(__dirname)).catch((error: Error) => {
  process.stderr.write(`Latchkey could not start: ${error.message}\n`)
  process.exit(1)
})
