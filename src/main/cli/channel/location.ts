import { createHash } from 'node:crypto'
import { lstatSync, type Stats } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/** Where a data folder's CLI channel lives: a socket in a private folder, or a named pipe on Windows. */
export interface ChannelLocation {
  /** What `net` listens on and connects to. */
  path: string
  /** The private folder holding the socket; null for a Windows named pipe. */
  directory: string | null
}

// sun_path holds 108 bytes on Linux and 104 on macOS; longer paths are cut off or refused.
const MAX_SOCKET_PATH = 100

export function channelLocation(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
): ChannelLocation {
  // Hashed only when needed: every command computes this, and loading node:crypto costs milliseconds.
  const id = () => createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 24)
  if (platform === 'win32') return { path: `\\\\.\\pipe\\latchkey-${id()}`, directory: null }
  const inDataDir = join(resolve(dataDir), 'cli', 'channel.sock')
  if (inDataDir.length <= MAX_SOCKET_PATH) return { path: inDataDir, directory: dirname(inDataDir) }
  // A data folder too deep for a socket path: a per-user folder in the temp dir, checked like the other.
  const uid = process.getuid?.() ?? 0
  const directory = join(tmpdir(), `latchkey-${uid}`)
  return { path: join(directory, `${id()}.sock`), directory }
}

/** Why `stats` is not private to this user, or null when it is: owned by us, nothing for group or others. */
export function notPrivate(stats: Stats, what: string): string | null {
  const uid = process.getuid?.()
  if (uid !== undefined && stats.uid !== uid)
    return `${what} belongs to user ${stats.uid}, not to you (${uid}).`
  if ((stats.mode & 0o077) !== 0) {
    return `${what} can be reached by other users (mode ${(stats.mode & 0o777).toString(8)}).`
  }
  return null
}

/**
 * What makes the channel private on Unix: the kernel lets a process connect to a socket only with
 * search permission on every folder above it and write permission on the socket file, so a 0700
 * folder we own, holding a 0600 socket, admits this user (and root) only. Both ends check it: the
 * app before it listens and on every connection, the CLI before it sends anything.
 */
export function privateChannelProblem(location: ChannelLocation, expectSocket: boolean): string | null {
  if (!location.directory) return null
  let folder: Stats
  try {
    folder = lstatSync(location.directory)
  } catch {
    return `The CLI channel folder ${location.directory} is missing.`
  }
  if (!folder.isDirectory() || folder.isSymbolicLink()) return `${location.directory} is not a folder.`
  const folderProblem = notPrivate(folder, `The CLI channel folder ${location.directory}`)
  if (folderProblem || !expectSocket) return folderProblem
  let socket: Stats
  try {
    socket = lstatSync(location.path)
  } catch {
    return `The CLI channel ${location.path} is missing.`
  }
  if (!socket.isSocket()) return `${location.path} is not a socket.`
  return notPrivate(socket, `The CLI channel ${location.path}`)
}
