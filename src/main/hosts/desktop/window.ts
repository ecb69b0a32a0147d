import { BrowserWindow } from 'electron'
import { join } from 'node:path'

export function createMainWindow(url: string): BrowserWindow {
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
      devTools: !process.env.NODE_ENV || process.env.NODE_ENV === 'development',
    },
  })
  // Screenshots and screen sharing must not capture revealed secrets.
  window.setContentProtection(true)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(url)
  return window
}
