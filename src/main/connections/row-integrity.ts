import type { VaultSession } from '../vault/session'

/**
 * The check every path that hands out a connection's secret because of who the row says it is
 * (reveal, copy, policies.resolve, export, the CLI, sync) runs first: INTEGRITY naming the
 * connection when its identity or list columns were swapped or edited in the file, exactly like a
 * damaged ciphertext. Checked on use, never on list, so listing 100k rows costs nothing more.
 */
export function assertRowIntegrity(session: VaultSession, connectionId: string): void {
  session.assertRowIntegrity(connectionId)
}
