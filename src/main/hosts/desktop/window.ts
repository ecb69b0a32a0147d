import { BrowserWindow } from 'electron'
import { join } from 'node:path'
import type { RendererSource } from './renderer-source'
import { WINDOW_DEFAULTS, type WindowPlacement } from './window-bounds'

export function createMainWindow(
  source: Pick<RendererSource, 'url' | 'devTools'>,
  placement: WindowPlacement,
): BrowserWindow {
  const window = new BrowserWindow({
    ...placement.bounds,
    minWidth: WINDOW_DEFAULTS.minWidth,
    minHeight: WINDOW_DEFAULTS.minHeight,
    show: false,
    title: 'Latchkey',
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click opens links in new windows; the window-open handler denies them, and this removes
      // the path altogether (Electronegativity's AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
      devTools: source.devTools,
    },
  })
  // Screenshots and screen sharing must not capture revealed secrets.
  window.setContentProtection(true)
  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize()
    window.show()
  })
  void window.loadURL(source.url)
  return window
}
