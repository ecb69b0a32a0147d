import { screen, type BrowserWindow } from 'electron'
import Store from 'electron-store'
import { placementToSave, restorePlacement, type SavedPlacement, type WindowPlacement } from './window-bounds'

/**
 * Desktop preferences that must be readable before any vault is unlocked, so they cannot live in
 * the vault's own settings: today the main window's placement. electron-store keeps them in
 * `preferences.json` in the data folder, beside the vault but apart from it; nothing secret goes
 * here, and window-bounds.ts checks whatever it reads back.
 */
interface DesktopPreferences {
  mainWindow?: SavedPlacement
}

export interface WindowPreferences {
  placement(): WindowPlacement
  /** Saves the window's placement as it moves and resizes, and once more when it closes. */
  follow(window: BrowserWindow): void
}

const SAVE_DELAY_MS = 500

export function createWindowPreferences(dataDir: string): WindowPreferences {
  const store = new Store<DesktopPreferences>({ name: 'preferences', cwd: dataDir, clearInvalidConfig: true })
  return {
    placement: () =>
      restorePlacement(
        store.get('mainWindow'),
        screen.getAllDisplays().map((display) => display.workArea),
      ),
    follow(window) {
      let timer: NodeJS.Timeout | undefined
      const save = () =>
        store.set('mainWindow', placementToSave(window.getNormalBounds(), window.isMaximized()))
      const saveSoon = () => {
        clearTimeout(timer)
        timer = setTimeout(save, SAVE_DELAY_MS)
      }
      window.on('move', saveSoon)
      window.on('resize', saveSoon)
      window.on('maximize', saveSoon)
      window.on('unmaximize', saveSoon)
      window.once('close', () => {
        clearTimeout(timer)
        save()
      })
    },
  }
}
