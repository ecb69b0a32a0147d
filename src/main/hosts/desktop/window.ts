import { BrowserWindow } from 'electron'
import { join } from 'node:path'
import type { RendererSource } from './renderer-source'

export function createMainWindow(source: Pick<RendererSource, 'url' | 'devTools'>): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
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
  window.once('ready-to-show', () => window.show())
  void window.loadURL(source.url)
  return window
}
