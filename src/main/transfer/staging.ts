import { randomBytes } from 'node:crypto'
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs'
import { join } from 'node:path'
import { notFoundError } from '../../shared/errors'

/** A staged file nobody finished with is removed after this long (checked at start and on every new file). */
const STAGED_LIFETIME_MS = 60 * 60 * 1000
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/

export interface Staging {
  /** A new empty file under a fresh id. */
  create(): { id: string; path: string }
  /** The path of an existing staged file; ENTITY_NOT_FOUND when there is none. */
  pathOf(id: string): string
  append(id: string, bytes: Buffer): number
  read(id: string, offset: number, length: number): { data: Buffer; size: number }
  discard(id: string): boolean
}

/**
 * Files on their way in or out (an encrypted backup to download, an upload to restore or import),
 * in a 0700 folder of the data folder, each under 128 random bits. Never a plaintext export: that
 * travels in the answer and is written only where the person saves it.
 */
export function createStaging(dataDir: string, now: () => number): Staging {
  const folder = join(dataDir, 'transfers')

  function ensureFolder(): void {
    mkdirSync(folder, { recursive: true, mode: 0o700 })
  }

  function sweep(): void {
    ensureFolder()
    for (const name of readdirSync(folder)) {
      const path = join(folder, name)
      try {
        if (now() - statSync(path).mtimeMs > STAGED_LIFETIME_MS) rmSync(path, { force: true })
      } catch {
        // gone already
      }
    }
  }

  function pathOf(id: string): string {
    const path = ID_PATTERN.test(id) ? join(folder, id) : null
    try {
      if (path && statSync(path).isFile()) return path
    } catch {
      // not there
    }
    throw notFoundError(
      'transfer',
      id,
      'That file is no longer here (files are kept for an hour). Start again.',
    )
  }

  // Whatever an earlier run left (a crash mid-transfer) goes when its hour is up.
  try {
    sweep()
  } catch {
    // A data folder that cannot be read yet: the first create says why.
  }

  return {
    create() {
      sweep()
      const id = randomBytes(16).toString('base64url')
      const path = join(folder, id)
      closeSync(openSync(path, 'wx', 0o600))
      return { id, path }
    },
    pathOf,
    append(id, bytes) {
      const path = pathOf(id)
      appendFileSync(path, bytes)
      return statSync(path).size
    },
    read(id, offset, length) {
      const path = pathOf(id)
      const size = statSync(path).size
      const data = Buffer.alloc(Math.max(0, Math.min(length, size - offset)))
      if (data.length > 0) {
        const fd = openSync(path, 'r')
        try {
          readSync(fd, data, 0, data.length, offset)
        } finally {
          closeSync(fd)
        }
      }
      return { data, size }
    },
    discard(id) {
      try {
        rmSync(pathOf(id))
        return true
      } catch {
        return false
      }
    },
  }
}
