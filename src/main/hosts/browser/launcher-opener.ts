import { openerCommand, type LaunchProcess } from '../../platform/open-url'
import { writeLauncherFile, type LauncherFile } from './launcher-file'

export interface LauncherOpener {
  /** Opens `url` in the system browser through a launcher file; the URL never reaches argv. */
  open(url: string): void
  /** Deletes every launcher file still on disk (on shutdown or exit). Synchronous, for 'exit'. */
  removeAll(): void
}

/**
 * A launcher file only has to live until the browser has read it. A cold browser start can take
 * several seconds, so it stays a minute, then goes; shutdown removes any that are left.
 */
export function createLauncherOpener(options: {
  launch: LaunchProcess
  platform?: NodeJS.Platform
  removeAfterMs?: number
  tempDir?: string
}): LauncherOpener {
  const removeAfterMs = options.removeAfterMs ?? 60_000
  const pending = new Set<LauncherFile>()
  const removeOne = (file: LauncherFile) => {
    pending.delete(file)
    file.remove()
  }
  return {
    open(url) {
      const file = writeLauncherFile(url, options.tempDir)
      pending.add(file)
      setTimeout(() => removeOne(file), removeAfterMs).unref()
      const { command, args } = openerCommand(file.path, options.platform)
      options.launch(command, args)
    },
    removeAll() {
      for (const file of [...pending]) removeOne(file)
    },
  }
}
