import type Database from 'better-sqlite3'
import { migration001 } from './001-initial'
import { migration002 } from './002-connection-list-indexes'
import { migration003 } from './003-piece-sort-indexes'
import { migration004 } from './004-list-in-memory'
import { migration005 } from './005-value-in-row'
import { migration006 } from './006-projects-in-row'
import { migration007 } from './007-sync-state'
import { migration008 } from './008-keyed-integrity'
import { migration009 } from './009-audit-entity-links'

/**
 * Schema versions in order: migrations[i] takes a vault from user_version i to i + 1. A migration is
 * SQL, or a function when it must move data. Never edit a shipped one; append the next.
 */
export type Migration = string | ((db: Database.Database) => void)

export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
]

export const LATEST_SCHEMA_VERSION = migrations.length

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Each step commits on its own with its version number, so a crash leaves a vault at a known version. */
export function migrate(db: Database.Database, steps: readonly Migration[] = migrations): number {
  let version = schemaVersion(db)
  if (version > steps.length) throw new Error(`Schema version ${version} is newer than this build knows.`)
  for (; version < steps.length; version += 1) {
    const step = steps[version]!
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step)
      else step(db)
      db.pragma(`user_version = ${version + 1}`)
    }).immediate()
  }
  return version
}
