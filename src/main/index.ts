import { app, clipboard, powerMonitor, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { createCore, type LatchkeyCore } from './core'
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './hosts/desktop/app-protocol'
import { bindIpc } from './hosts/desktop/ipc'
import { electronNativeBinding } from './hosts/desktop/native-binding'
import { createSafeStorageKeeper } from './hosts/desktop/safe-storage-keeper'
import { installSecurityGuards } from './hosts/desktop/security'
import { createMainWindow } from './hosts/desktop/window'
import { createStderrLogger } from './platform/logger'
import { APP_NAME, defaultDataDir } from './platform/paths'

// The desktop host: a thin composition root. Everything it calls is core code tested in plain Node.
const devServerUrl = process.env.ELECTRON_RENDERER_URL
const logger = createStderrLogger()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.setName(APP_NAME)
  app.setPath('userData', defaultDataDir())
  registerAppScheme()
  let mainWindow: BrowserWindow | null = null
  let core: LatchkeyCore | null = null

  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  app.whenReady().then(() => {
    const appRoot = app.getAppPath()
    core = createCore({
      identity: { name: APP_NAME, version: app.getVersion(), host: 'desktop' },
      dataDir: app.getPath('userData'),
      logger,
      sqliteNativeBinding: electronNativeBinding(appRoot, process.versions.electron, process.resourcesPath),
      secretKeeper: createSafeStorageKeeper(),
      clipboard,
      // powerMonitor reports suspend and screen lock directly; no wall-clock guessing needed.
      detectSuspendByClock: false,
    })
    const vault = core.vault
    powerMonitor.on('suspend', () => vault.hostSuspended('suspend'))
    powerMonitor.on('lock-screen', () => vault.hostSuspended('lock-screen'))
    const rendererUrl = devServerUrl ?? `${APP_ORIGIN}/index.html`
    const isAppUrl = (url: string) =>
      url.startsWith(`${APP_ORIGIN}/`) || (!!devServerUrl && url.startsWith(devServerUrl))
    installSecurityGuards(isAppUrl)
    if (!devServerUrl) serveRenderer(join(__dirname, '../renderer'))
    const ipc = bindIpc(core, devServerUrl)
    mainWindow = createMainWindow(rendererUrl)
    ipc.trust(mainWindow.webContents)
    mainWindow.on('closed', () => (mainWindow = null))
  })

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    void core?.close()
  })
}
