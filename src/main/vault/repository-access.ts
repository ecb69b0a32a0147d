import type Database from 'better-sqlite3'
import type { VaultSession } from './session'

/** Runs work against the unlocked vault with one domain's prepared statements. */
export type WithVault<Repository> = <T>(work: (session: VaultSession, repository: Repository) => T) => T

/**
 * Each domain prepares its statements once per database handle: a lock and unlock opens a new
 * handle, and with it new statements. Throws VAULT_LOCKED (from `getSession`) while locked.
 */
export function createRepositoryAccess<Repository>(
  getSession: () => VaultSession,
  createRepository: (db: Database.Database) => Repository,
): WithVault<Repository> {
  const repositories = new WeakMap<Database.Database, Repository>()
  return (work) => {
    const session = getSession()
    let repository = repositories.get(session.db)
    if (!repository) {
      repository = createRepository(session.db)
      repositories.set(session.db, repository)
    }
    return work(session, repository)
  }
}
