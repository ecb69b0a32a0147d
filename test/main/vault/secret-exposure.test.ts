import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Logger } from '../../../src/main/adapters/logger'
import type { AppConnection, AuditPage, Page } from '../../../src/shared/contract'
import type { ErrorObject } from '../../../src/shared/errors'
import { createManualClock } from '../../support/manual-clock'
import { createUnlockedTestCore, TEST_PASSWORD, type UnlockedTestCore } from '../../support/vault'

/** A Logger that keeps every line it is given, as the stderr logger would write it. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const record = (level: string) => (message: string, fields?: Record<string, string | number | boolean>) =>
    lines.push(JSON.stringify({ level, message, ...fields }))
  return { lines, info: record('info'), error: record('error') }
}

// Distinct, searchable secrets: no two share a 12-character piece, and none is a piece of a name.
const SECRETS = {
  secretText: 'sk_live_51Hq8ExposureSecretText0a9b8c7d',
  rotated: 'sk_live_51Hq8RotatedSecretValue1f2e3d4c',
  deleted: 'sk_live_51Hq8DeletedSecretValue9e8d7c6b',
  basicPassword: 'basic-auth-password-7c41d9e2aa',
  accessToken: 'ya29.a0AfH6SMAccessToken3b7e90c1',
  refreshToken: '1//0gRefreshTokenValue5d8a2f61e',
  clientSecret: 'GOCSPX-ClientSecretValue4e7b1a09',
  customProp: 'custom-prop-secret-6f03c8b52d',
  remoteApiKey: 'ap_remote_api_key_2b9e5c71f4d0',
  masterPassword: TEST_PASSWORD,
  newMasterPassword: 'Zq7 vexing quartz jumbo 4417 plover',
}
/** Plaintext the vault must keep readable (names, ids): the file searches must find these. */
const VISIBLE_NAME = 'Visible Exposure Marker Name'

/** Every way a secret could sit in bytes: UTF-8, UTF-16 (either order), base64 and hex. */
function encodings(secret: string): Buffer[] {
  const utf16be = Buffer.from(secret, 'utf16le').swap16()
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    utf16be,
    Buffer.from(Buffer.from(secret, 'utf8').toString('base64'), 'utf8'),
    Buffer.from(Buffer.from(secret, 'utf8').toString('hex'), 'utf8'),
  ]
}

/** Any 12-character piece of a secret, so a truncated or "hinted" secret counts too. */
function pieces(secret: string, size = 12): string[] {
  const found: string[] = []
  for (let i = 0; i + size <= secret.length; i += 1) found.push(secret.slice(i, i + size))
  return found
}

function expectNoSecretInBytes(bytes: Buffer, where: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (const encoded of encodings(secret)) {
      expect(bytes.includes(encoded), `${name} in ${where}`).toBe(false)
    }
    for (const piece of pieces(secret)) {
      expect(bytes.includes(Buffer.from(piece, 'utf8')), `a piece of ${name} in ${where}`).toBe(false)
    }
  }
}

function expectNoSecretInText(text: string, where: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (const piece of pieces(secret)) expect(text.includes(piece), `${name} in ${where}`).toBe(false)
  }
}

let t: UnlockedTestCore | undefined
let logger: ReturnType<typeof recordingLogger>
afterEach(async () => {
  await t?.dispose()
  t = undefined
})

async function vaultCore(): Promise<UnlockedTestCore> {
  logger = recordingLogger()
  t = await createUnlockedTestCore({ clock: createManualClock(), dependencies: { logger } })
  return t
}

const files = (core: UnlockedTestCore) => {
  const main = join(core.dataDir, 'vault.sqlite')
  return { main, wal: `${main}-wal` }
}

async function upsert(core: UnlockedTestCore, input: Record<string, unknown>): Promise<AppConnection> {
  const result = await core.call<{ connection: AppConnection }>('connections.upsert', {
    pieceName: '@activepieces/piece-stripe',
    pieceVersion: '0.1.0',
    ...input,
  })
  return result.connection
}

/** Stores a connection of several value types, rotates one, copies and reveals, deletes one. */
async function writeEverySecret(core: UnlockedTestCore): Promise<Record<string, AppConnection>> {
  core.session.db
    .prepare(
      `INSERT INTO remotes (id, name, dialect, base_url, project_id, api_key_envelope, key_version, created_ms, updated_ms)
       VALUES ('remote_1', 'Cloud', 'activepieces', 'https://cloud.example.com', 'p1', ?, ?, 0, 0)`,
    )
    .run(core.session.seal('remote-api-key', 'remote_1', SECRETS.remoteApiKey), core.session.keyVersion)
  const text = await upsert(core, {
    displayName: VISIBLE_NAME,
    type: 'SECRET_TEXT',
    externalId: 'ext_text',
    remoteId: 'remote_1',
    value: { type: 'SECRET_TEXT', secret_text: SECRETS.secretText },
  })
  const basic = await upsert(core, {
    displayName: 'Basic',
    type: 'BASIC_AUTH',
    value: { type: 'BASIC_AUTH', username: 'alice', password: SECRETS.basicPassword },
  })
  const oauth = await upsert(core, {
    displayName: 'OAuth',
    type: 'OAUTH2',
    value: {
      type: 'OAUTH2',
      access_token: SECRETS.accessToken,
      refresh_token: SECRETS.refreshToken,
      client_secret: SECRETS.clientSecret,
      token_url: 'https://auth.example.com/token',
      expires_in: 3600,
      claimed_at: 1_767_225_600,
    },
  })
  const custom = await upsert(core, {
    displayName: 'Custom',
    type: 'CUSTOM_AUTH',
    value: { type: 'CUSTOM_AUTH', props: { apiKey: SECRETS.customProp } },
  })
  const doomed = await upsert(core, {
    displayName: 'Doomed',
    type: 'SECRET_TEXT',
    value: { type: 'SECRET_TEXT', secret_text: SECRETS.deleted },
  })
  // Rotating the first value: the old and the new secret must both stay out of the file.
  await upsert(core, {
    displayName: VISIBLE_NAME,
    type: 'SECRET_TEXT',
    externalId: 'ext_text',
    remoteId: 'remote_1',
    value: { type: 'SECRET_TEXT', secret_text: SECRETS.rotated },
  })
  for (const connection of [text, basic, oauth, custom]) {
    await core.call('connections.reveal', { id: connection.id })
    await core.call('clipboard.copySecret', { connectionId: connection.id })
  }
  await core.call('connections.delete', { id: doomed.id })
  await core.call('vault.changePassword', {
    currentPassword: SECRETS.masterPassword,
    newPassword: SECRETS.newMasterPassword,
  })
  return { text, basic, oauth, custom }
}

describe('a stored secret never appears in the vault file’s bytes', () => {
  it('is absent from the main file and the WAL after writes, which do hold the plaintext names', async () => {
    const core = await vaultCore()
    await writeEverySecret(core)
    const { main, wal } = files(core)
    expect(existsSync(wal)).toBe(true)
    const walBytes = readFileSync(wal)
    // The search works: the WAL holds this session's writes, names included.
    expect(walBytes.includes(Buffer.from(VISIBLE_NAME))).toBe(true)
    expectNoSecretInBytes(walBytes, 'the WAL')
    expectNoSecretInBytes(readFileSync(main), 'the main file')
  })

  it('is absent from the main file after a checkpoint, and from both files after close', async () => {
    const core = await vaultCore()
    await writeEverySecret(core)
    const { main, wal } = files(core)
    core.core.vault.requireDatabase().pragma('wal_checkpoint(TRUNCATE)')
    const mainBytes = readFileSync(main)
    expect(mainBytes.includes(Buffer.from(VISIBLE_NAME))).toBe(true)
    expectNoSecretInBytes(mainBytes, 'the main file after a checkpoint')
    // more writes after the checkpoint land in the WAL again
    await core.call('vault.lock')
    await core.call('vault.unlock', { password: SECRETS.newMasterPassword })
    expectNoSecretInBytes(readFileSync(wal), 'the WAL after a checkpoint')
    await core.core.close()
    for (const file of [main, wal, `${main}-shm`, `${main}-journal`]) {
      if (existsSync(file)) expectNoSecretInBytes(readFileSync(file), `${file} after close`)
    }
    expect(readFileSync(main).includes(Buffer.from(VISIBLE_NAME))).toBe(true)
  })
})

describe('a stored secret never appears in logs or error text', () => {
  it('logs unexpected failures by class and code only, never the input or a secret', async () => {
    const core = await vaultCore()
    const { text } = await writeEverySecret(core)
    // A broken table turns the next writes into SQLite errors, which the router logs.
    core.core.vault
      .requireDatabase()
      .exec('ALTER TABLE connections RENAME COLUMN value_envelope TO value_envelope_gone')
    const errors: ErrorObject[] = []
    for (const [name, input] of [
      [
        'connections.upsert',
        {
          displayName: 'Fails',
          pieceName: '@activepieces/piece-stripe',
          pieceVersion: '0.1.0',
          type: 'SECRET_TEXT',
          value: { type: 'SECRET_TEXT', secret_text: SECRETS.secretText },
        },
      ],
      ['connections.reveal', { id: text.id }],
      ['clipboard.copySecret', { connectionId: text.id }],
    ] as const) {
      const result = await core.core.router.dispatch(name, input, { origin: 'test' })
      expect(result.ok, name).toBe(false)
      if (!result.ok) errors.push(result.error)
    }
    expect(errors.map((error) => error.code)).toEqual(['INTERNAL', 'INTERNAL', 'INTERNAL'])
    expect(logger.lines.length).toBeGreaterThanOrEqual(3)
    expect(logger.lines[0]).toMatch(/procedure connections\.upsert failed/)
    expect(logger.lines[0]).toMatch(/SqliteError/)
    expectNoSecretInText(logger.lines.join('\n'), 'the log')
    expectNoSecretInText(JSON.stringify(errors), 'error objects')
  })

  it('keeps secrets out of every refusal a caller can provoke with or about a secret', async () => {
    const core = await vaultCore()
    const { text, oauth, custom } = await writeEverySecret(core)
    const db = core.core.vault.requireDatabase()
    const base = { pieceName: '@activepieces/piece-stripe', pieceVersion: '0.1.0' }
    const attempts: [string, unknown][] = [
      // the secret in a value that does not match its type, or in a field that does not exist
      [
        'connections.upsert',
        {
          ...base,
          displayName: 'x',
          type: 'BASIC_AUTH',
          value: { type: 'SECRET_TEXT', secret_text: SECRETS.secretText },
        },
      ],
      [
        'connections.upsert',
        {
          ...base,
          displayName: 'x',
          type: 'SECRET_TEXT',
          value: { type: 'SECRET_TEXT', secret_text: SECRETS.secretText, extra: SECRETS.accessToken },
        },
      ],
      [
        'connections.upsert',
        { ...base, displayName: 'x', type: 'SECRET_TEXT', value: { type: 'SECRET_TEXT', secret_text: 42 } },
      ],
      [
        'connections.upsert',
        {
          ...base,
          displayName: 'x',
          type: 'OAUTH2',
          value: {
            type: 'OAUTH2',
            access_token: SECRETS.accessToken,
            token_url: 'x',
            grant_type: SECRETS.refreshToken,
          },
        },
      ],
      [
        'connections.upsert',
        {
          ...base,
          displayName: 'x',
          type: 'SECRET_TEXT',
          value: { type: 'SECRET_TEXT', secret_text: SECRETS.secretText.repeat(20_000) },
        },
      ],
      // a conflict on create, naming the existing connection
      [
        'connections.create',
        {
          ...base,
          displayName: VISIBLE_NAME,
          type: 'SECRET_TEXT',
          externalId: 'ext_text',
          remoteId: 'remote_1',
          value: { type: 'SECRET_TEXT', secret_text: SECRETS.secretText },
        },
      ],
      // copy of a field that is not there lists field names, never their contents
      ['clipboard.copySecret', { connectionId: oauth.id, field: 'password' }],
      ['clipboard.copySecret', { connectionId: custom.id, field: 'nope' }],
      ['vault.changePassword', { currentPassword: SECRETS.secretText, newPassword: SECRETS.rotated }],
    ]
    // a tampered envelope: the integrity error names the row only
    const envelope = (
      db.prepare('SELECT envelope FROM connection_values WHERE connection_id = ?').get(text.id) as {
        envelope: Buffer
      }
    ).envelope
    envelope[envelope.length - 1]! ^= 0x01
    db.prepare('UPDATE connection_values SET envelope = ? WHERE connection_id = ?').run(envelope, text.id)
    attempts.push(
      ['connections.reveal', { id: text.id }],
      ['clipboard.copySecret', { connectionId: text.id }],
    )

    const errors: ErrorObject[] = []
    for (const [name, input] of attempts) {
      const result = await core.core.router.dispatch(name, input, { origin: 'test' })
      expect(result.ok, `${name} ${JSON.stringify(input).slice(0, 120)}`).toBe(false)
      if (!result.ok) errors.push(result.error)
    }
    expect(errors.map((error) => error.code)).toEqual([
      'VALIDATION',
      'VALIDATION',
      'VALIDATION',
      'VALIDATION',
      'VALIDATION',
      'CONFLICT',
      'VALIDATION',
      'VALIDATION',
      'AUTHENTICATION',
      'INTEGRITY',
      'INTEGRITY',
    ])
    expectNoSecretInText(JSON.stringify(errors), 'error objects')

    // while locked, the same calls refuse without a secret too
    await core.call('vault.lock')
    const locked = await core.core.router.dispatch('connections.reveal', { id: oauth.id }, { origin: 'test' })
    expect(locked).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } })
    expectNoSecretInText(JSON.stringify(locked), 'the locked refusal')
    expectNoSecretInText(logger.lines.join('\n'), 'the log')
  })

  it('answers lists, gets, events and the audit log without a secret; only reveal and copy carry one', async () => {
    const core = await vaultCore()
    const events: unknown[] = []
    core.core.events.subscribe((name, payload) => events.push({ name, payload }))
    const { text, oauth } = await writeEverySecret(core)
    const answers = [
      await core.call<Page<AppConnection>>('connections.list', { limit: 100 }),
      await core.call('connections.slice', { offset: 0, limit: 100 }),
      await core.call('connections.get', { id: oauth.id }),
      await core.call('connections.owners', {}),
      await core.call<AuditPage>('audit.list', { limit: 100 }),
      await core.call('policies.list', {}),
      await core.call('settings.get'),
      await core.call('vault.status'),
    ]
    expectNoSecretInText(JSON.stringify(answers), 'answers')
    expectNoSecretInText(JSON.stringify(events), 'events')
    expect(JSON.stringify(await core.call('connections.reveal', { id: text.id }))).toContain(SECRETS.rotated)
    expect(logger.lines).toEqual([])
  })
})
