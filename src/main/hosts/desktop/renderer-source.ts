import { APP_INDEX_URL, APP_ORIGIN, originOf } from './app-origin'

export interface RendererSource {
  /** What the window loads. */
  url: string
  /** Every origin whose pages may navigate in the window and call over IPC. */
  trustedOrigins: ReadonlySet<string>
  /** The built renderer is served over app:// unless a dev server serves it. */
  servesBuild: boolean
  devTools: boolean
}

/**
 * Where the renderer comes from, and whether DevTools open. `ELECTRON_RENDERER_URL` (electron-vite's
 * dev server) and DevTools are development switches: an installed app is packaged, so any
 * environment a user or another program sets cannot point the window, and the trust that comes with
 * it, at another server. `isPackaged` is Electron's own answer, unlike NODE_ENV, which nothing sets
 * for an installed app.
 */
export function decideRendererSource(options: {
  isPackaged: boolean
  env: Record<string, string | undefined>
}): RendererSource {
  const devOrigin = options.isPackaged ? null : devServerOrigin(options.env.ELECTRON_RENDERER_URL)
  if (devOrigin === null) {
    return {
      url: APP_INDEX_URL,
      trustedOrigins: new Set([APP_ORIGIN]),
      servesBuild: true,
      devTools: !options.isPackaged,
    }
  }
  return {
    url: options.env.ELECTRON_RENDERER_URL as string,
    trustedOrigins: new Set([APP_ORIGIN, devOrigin]),
    servesBuild: false,
    devTools: true,
  }
}

/** Only an http(s) dev server counts; anything else is ignored and the build is served instead. */
function devServerOrigin(value: string | undefined): string | null {
  if (!value) return null
  const origin = originOf(value)
  return origin !== null && /^https?:\/\//.test(origin) ? origin : null
}
