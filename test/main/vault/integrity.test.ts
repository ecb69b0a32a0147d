import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { createUnlockedTestCore, type VaultTestCore } from '../../support/vault'
import { insertConnection, readSecret } from './fixtures'

const cores: VaultTestCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose()
})

async function vaultWithThreeConnections() {
  const t = await createUnlockedTestCore()
  cores.push(t)
  for (const [id, secret] of [
    ['conn_a', 'sk-secret-a'],
    ['conn_b', 'sk-secret-b'],
    ['conn_c', 'sk-secret-c'],
  ] as const) {
    insertConnection(t.session, id, secret)
  }
  return t
}

const envelopeOf = (t: VaultTestCore, id: string) =>
  (
    t.core.vault
      .requireSession()
      .db.prepare('SELECT envelope FROM connection_values WHERE connection_id = ?')
      .get(id) as {
      envelope: Buffer
    }
  ).envelope

const writeEnvelope = (t: VaultTestCore, id: string, envelope: Buffer) =>
  t.core.vault
    .requireSession()
    .db.prepare('UPDATE connection_values SET envelope = ? WHERE connection_id = ?')
    .run(envelope, id)

function integrityErrorOf(work: () => unknown): AppError {
  try {
    work()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an integrity error')
}

describe('integrity of stored secrets', () => {
  it('reports INTEGRITY for the one connection whose stored bytes were flipped, at any offset', async () => {
    const t = await vaultWithThreeConnections()
    const original = envelopeOf(t, 'conn_b')
    for (let offset = 0; offset < original.length; offset += 1) {
      const altered = Buffer.from(original)
      altered[offset] ^= 0x80
      writeEnvelope(t, 'conn_b', altered)
      const error = integrityErrorOf(() => readSecret(t.session, 'conn_b'))
      expect(error.toObject()).toMatchObject({
        statusCode: 500,
        code: 'INTEGRITY',
        params: {
          entityType: 'app_connection',
          entityId: 'conn_b',
          message: expect.stringMatching(/integrity check/),
        },
      })
      expect(JSON.stringify(error.toObject())).not.toContain('sk-secret')
    }
    expect(readSecret(t.session, 'conn_a')).toBe('sk-secret-a')
    expect(readSecret(t.session, 'conn_c')).toBe('sk-secret-c')
  })

  it('refuses a ciphertext copied onto another row instead of revealing the other secret', async () => {
    const t = await vaultWithThreeConnections()
    writeEnvelope(t, 'conn_c', envelopeOf(t, 'conn_a'))
    const error = integrityErrorOf(() => readSecret(t.session, 'conn_c'))
    expect(error.code).toBe('INTEGRITY')
    expect(error.params.entityId).toBe('conn_c')
    expect(readSecret(t.session, 'conn_a')).toBe('sk-secret-a')
  })

  it('refuses a connection value opened as another purpose', async () => {
    const t = await vaultWithThreeConnections()
    expect(
      integrityErrorOf(() => t.session.open('remote-api-key', 'conn_a', envelopeOf(t, 'conn_a'))).code,
    ).toBe('INTEGRITY')
  })
})
