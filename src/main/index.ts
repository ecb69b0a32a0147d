import { app, clipboard, powerMonitor, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { createCore, type LatchkeyCore } from './core'
import { startCliChannel, type RunningCliChannel } from './hosts/cli-channel/server'
import { registerAppScheme, serveRenderer } from './hosts/desktop/app-protocol'
import { bindIpc } from './hosts/desktop/ipc'
import { electronNativeBinding } from './hosts/desktop/native-binding'
import { createWindowPreferences } from './hosts/desktop/preferences'
import { decideRendererSource } from './hosts/desktop/renderer-source'
import { createSafeStorageKeeper } from './hosts/desktop/safe-storage-keeper'
import { installSecurityGuards, openSignInExternally } from './hosts/desktop/security'
import { createMainWindow } from './hosts/desktop/window'
import { createStderrLogger } from './platform/logger'
import { platformFetch, warmPlatformFetch } from './platform/fetch'
import { APP_NAME, defaultDataDir } from './platform/paths'

// The desktop host: a thin composition root. Every decision it wires up is a plain function
// tested in Node (hosts/desktop/*.ts without an electron import, and hosts/serve-path.ts).
const logger = createStderrLogger()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.setName(APP_NAME)
  app.setPath('userData', defaultDataDir())
  registerAppScheme()
  let mainWindow: BrowserWindow | null = null
  let core: LatchkeyCore | null = null
  let cliChannel: Promise<RunningCliChannel | null> = Promise.resolve(null)

  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  app.whenReady().then(() => {
    const appRoot = app.getAppPath()
    const source = decideRendererSource({ isPackaged: app.isPackaged, env: process.env })
    core = createCore({
      identity: { name: APP_NAME, version: app.getVersion(), host: 'desktop' },
      dataDir: app.getPath('userData'),
      logger,
      sqliteNativeBinding: electronNativeBinding(appRoot, process.versions.electron, process.resourcesPath),
      secretKeeper: createSafeStorageKeeper(),
      openExternal: openSignInExternally,
      fetch: platformFetch,
      clipboard,
      // powerMonitor reports suspend and screen lock directly; no wall-clock guessing needed.
      detectSuspendByClock: false,
    })
    // The user's own `latchkey` CLI reaches this unlocked vault through a private socket, each
    // terminal approved in the window; the app runs without it if the socket cannot be made.
    cliChannel = startCliChannel({ core, dataDir: app.getPath('userData'), logger }).catch((error: Error) => {
      logger.error('the CLI channel did not start', { reason: error.message })
      return null
    })
    const vault = core.vault
    powerMonitor.on('suspend', () => vault.hostSuspended('suspend'))
    powerMonitor.on('lock-screen', () => vault.hostSuspended('lock-screen'))
    installSecurityGuards(source.trustedOrigins)
    if (source.servesBuild) serveRenderer(join(__dirname, '../renderer'))
    const ipc = bindIpc(core, source.trustedOrigins)
    const windowPreferences = createWindowPreferences(app.getPath('userData'))
    mainWindow = createMainWindow(source, windowPreferences.placement())
    windowPreferences.follow(mainWindow)
    ipc.trust(mainWindow.webContents)
    mainWindow.on('closed', () => (mainWindow = null))
    warmPlatformFetch()
  })

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    void cliChannel.then((channel) => channel?.close())
    void core?.close()
  })
}
