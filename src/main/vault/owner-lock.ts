import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { AppError } from '../../shared/errors'

export interface OwnerLock {
  readonly path: string
  release(): void
}

interface LockContent {
  pid: number
  host: string
  /**
   * When the owner process started, as the OS reports it (Linux: /proc/<pid>/stat field 22, clock
   * ticks since boot). A pid is reused after its process dies; the pair names one process.
   * Absent where the OS does not tell (then pid alone decides) and in locks written before it existed.
   */
  started?: string
}

export interface OwnerLockOptions {
  pid?: number
  host?: string
  isProcessAlive?: (pid: number) => boolean
  /** The start time of a live process, or null when the OS does not tell or the process is gone. */
  startTimeOf?: (pid: number) => string | null
}

/**
 * One process at a time owns a vault. A lock file beside it, created with O_EXCL, names the owner;
 * a lock left by a process that no longer exists (a crash, a SIGKILL) is taken over. SQLite's
 * exclusive locking mode (store.ts) is the second guard, for the narrow race in a takeover.
 */
export function acquireOwnerLock(vaultPath: string, options: OwnerLockOptions = {}): OwnerLock {
  const lockPath = `${vaultPath}.lock`
  const startTimeOf = options.startTimeOf ?? processStartTime
  const pid = options.pid ?? process.pid
  const started = startTimeOf(pid)
  const me: LockContent = { pid, host: options.host ?? hostname(), ...(started ? { started } : {}) }
  const isAlive = options.isProcessAlive ?? isProcessAlive
  const holderIsAlive = (holder: LockContent): boolean => {
    if (!isAlive(holder.pid)) return false
    if (holder.started === undefined) return true
    // Alive under that pid, but started at another time: the pid was reused, the owner is gone.
    const now = startTimeOf(holder.pid)
    return now === null || now === holder.started
  }
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (tryCreate(lockPath, me)) return ownedLock(lockPath, me)
    const raw = readLock(lockPath)
    if (raw === null) continue // released between our attempt and the read
    const holder = parseLock(raw)
    if (holder && (holder.host !== me.host || holderIsAlive(holder))) throw inUseError(vaultPath, holder, me)
    // Stale (or unreadable, e.g. a crash mid-write): remove it only if it is still the file we judged.
    if (readLock(lockPath) === raw) unlinkQuietly(lockPath)
  }
  throw new AppError('VAULT_UNAVAILABLE', {
    message: `The vault at ${vaultPath} is being opened by another process. Try again in a moment.`,
    entityType: 'vault',
    entityId: vaultPath,
  })
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still means it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Linux: field 22 of /proc/<pid>/stat, the start time in clock ticks since boot. The command name
 * (field 2) is in parentheses and may hold spaces or parentheses itself, so fields are counted
 * after its last ')'. Elsewhere, or when the process is gone: null, and pid alone decides.
 */
export function processStartTime(pid: number): string | null {
  if (process.platform !== 'linux') return null
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // After ") " come fields 3, 4, …; field 22 is the 20th of them.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const started = fields[22 - 3]
  return started && /^\d+$/.test(started) ? started : null
}

function inUseError(vaultPath: string, holder: LockContent, me: LockContent): AppError {
  const who =
    holder.pid === me.pid && holder.host === me.host
      ? 'this Latchkey process already'
      : holder.host === me.host
        ? `another Latchkey process (pid ${holder.pid}) already`
        : `a Latchkey process on ${holder.host} (pid ${holder.pid}) already`
  return new AppError('VAULT_UNAVAILABLE', {
    message: `The vault at ${vaultPath} is open in ${who}. Close it there, then try again.`,
    entityType: 'vault',
    entityId: vaultPath,
    holderPid: holder.pid,
    holderHost: holder.host,
  })
}

function tryCreate(lockPath: string, content: LockContent): boolean {
  let fd: number
  try {
    fd = openSync(lockPath, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    writeSync(fd, JSON.stringify(content))
  } finally {
    closeSync(fd)
  }
  return true
}

function ownedLock(lockPath: string, me: LockContent): OwnerLock {
  let released = false
  return {
    path: lockPath,
    release() {
      if (released) return
      released = true
      // Only remove the file if it is still ours; never another owner's after a takeover.
      const current = parseLock(readLock(lockPath) ?? '')
      if (current && current.pid === me.pid && current.host === me.host) unlinkQuietly(lockPath)
    },
  }
}

function readLock(lockPath: string): string | null {
  try {
    return readFileSync(lockPath, 'utf8')
  } catch {
    return null
  }
}

function parseLock(raw: string): LockContent | null {
  try {
    const value = JSON.parse(raw) as Partial<LockContent>
    if (typeof value.pid === 'number' && Number.isInteger(value.pid) && typeof value.host === 'string') {
      const started = typeof value.started === 'string' ? { started: value.started } : {}
      return { pid: value.pid, host: value.host, ...started }
    }
  } catch {
    // fall through: unreadable content is treated as stale
  }
  return null
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // already gone
  }
}
