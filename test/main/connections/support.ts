import type { AppConnection, ConnectionValue } from '../../../src/shared/contract'
import type { ErrorObject } from '../../../src/shared/errors'
import type { VaultSession } from '../../../src/main/vault/session'
import type { CoreDependencies } from '../../../src/main/core'
import { createListIndexes } from '../../../src/main/connections/list-index-source'
import { createManualClock, type ManualClock } from '../../support/manual-clock'
import { createUnlockedTestCore, type UnlockedTestCore } from '../../support/vault'

export interface ConnectionsHarness extends UnlockedTestCore {
  clock: ManualClock
  events: { name: string; payload: unknown }[]
  upsert(overrides?: Record<string, unknown>): Promise<AppConnection>
  errorOf(name: string, input: unknown): Promise<ErrorObject>
}

export const SLACK = '@activepieces/piece-slack'

export function secretText(secret = 'xoxb-secret-token'): ConnectionValue {
  return { type: 'SECRET_TEXT', secret_text: secret }
}

/**
 * A real core with an unlocked vault, a hand-driven clock, and a record of every event. The
 * in-memory list is read on the spot rather than in the background, so which of it and SQL answers
 * a call does not depend on timing (list.test.ts reaches both on purpose).
 */
export async function connectionsHarness(
  dependencies: Partial<CoreDependencies> = {},
): Promise<ConnectionsHarness> {
  const clock = createManualClock(Date.UTC(2026, 0, 1))
  const base = await createUnlockedTestCore({
    clock,
    dependencies: { listIndexes: createListIndexes({ schedule: null }), ...dependencies },
  })
  const events: { name: string; payload: unknown }[] = []
  base.core.events.subscribe((name, payload) => events.push({ name, payload }))
  let counter = 0
  return {
    ...base,
    clock,
    events,
    async upsert(overrides = {}) {
      counter += 1
      const result = await base.call<{ connection: AppConnection }>('connections.upsert', {
        displayName: `Connection ${counter}`,
        pieceName: SLACK,
        pieceVersion: '0.10.0',
        type: 'SECRET_TEXT',
        externalId: `ext_${counter}`,
        value: secretText(),
        ...overrides,
      })
      return result.connection
    },
    async errorOf(name, input) {
      const result = await base.core.router.dispatch(name, input, { origin: 'test' })
      if (result.ok) throw new Error(`${name} succeeded but an error was expected`)
      return result.error
    },
  }
}

/** Remotes are the sync engineer's to create; tests insert the row as the schema defines it. */
export function insertRemote(
  session: VaultSession,
  id: string,
  dialect: 'activepieces' | 'weavz' = 'activepieces',
) {
  session.db
    .prepare(
      `INSERT INTO remotes (id, name, dialect, base_url, project_id, api_key_envelope, key_version, created_ms, updated_ms)
       VALUES (?, ?, ?, 'https://cloud.example.com', 'project_1', ?, ?, 0, 0)`,
    )
    .run(id, `Remote ${id}`, dialect, session.seal('remote-api-key', id, 'sk-remote-key'), session.keyVersion)
}
