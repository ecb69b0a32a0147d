import { afterEach, describe, expect, it } from 'vitest'
import type { AppConnection } from '../../../src/shared/contract'
import { JSON_MAX_DEPTH } from '../../../src/shared/contract/json-value'
import { createUnlockedTestCore, type UnlockedTestCore } from '../../support/vault'

// Issue 17, "No valid input gets a 500": each class of input that answered 500 INTERNAL, or was
// stored other than it came, is either stored faithfully or refused as VALIDATION that says why.

let t: UnlockedTestCore | null = null
afterEach(async () => {
  await t?.dispose()
  t = null
})

async function core(): Promise<UnlockedTestCore> {
  t = await createUnlockedTestCore()
  return t
}

/** What every upsert needs; each test adds what it is about. */
const base = { displayName: 'Plain', pieceName: 'p', pieceVersion: '1.0.0', type: 'NO_AUTH' }

const oauth = (value: Record<string, unknown>) => ({
  ...base,
  displayName: 'Token',
  type: 'OAUTH2',
  value: { type: 'OAUTH2', access_token: 'at', token_url: 'https://example.com/token', ...value },
})

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true }
  for (let level = 1; level < depth; level += 1) value = { inner: value }
  return value
}

/** The refusal's code and sentence; fails the test when the call was accepted. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = (await call.then(
    () => null,
    (thrown: unknown) => thrown,
  )) as { code: string; params: { message: string } } | null
  expect(error, 'the call was accepted').not.toBeNull()
  return { code: error!.code, message: error!.params.message }
}

async function upsert(h: UnlockedTestCore, input: Record<string, unknown>): Promise<AppConnection> {
  return (await h.call<{ connection: AppConnection }>('connections.upsert', input)).connection
}

async function connectionCount(h: UnlockedTestCore): Promise<number> {
  return (await h.call<{ data: unknown[] }>('connections.list', { limit: 100 })).data.length
}

describe('OAuth2 expiry fields are bounded to what a date holds', () => {
  it.each([
    ['expires_in at 2^53 - 1', { expires_in: Number.MAX_SAFE_INTEGER }, /token lifetime.*100 years/],
    ['claimed_at at 1e16', { claimed_at: 1e16, expires_in: 3600 }, /claimed_at.*year 9999/],
    ['claimed_at at 1e308', { claimed_at: 1e308 }, /claimed_at.*year 9999/],
  ])('refuses %s as VALIDATION, writing nothing', async (_name, value, message) => {
    const h = await core()
    const error = await refusal(h.call('connections.upsert', oauth(value)))
    expect(error.code).toBe('VALIDATION')
    expect(error.message).toMatch(message)
    expect(await connectionCount(h)).toBe(0)
  })

  it('stores the largest allowed lifetime and issue time, with an expiry that is a date', async () => {
    const h = await core()
    const created = await upsert(
      h,
      oauth({ claimed_at: Date.UTC(9999, 11, 31, 23, 59, 59, 999), expires_in: 100 * 365.25 * 86_400 }),
    )
    expect(Number.isNaN(Date.parse(created.health.tokenExpiresAt!))).toBe(false)
  })
})

describe('metadata and properties are bounded in depth and size', () => {
  it(`stores metadata ${JSON_MAX_DEPTH} levels deep and refuses one level more, naming the limit`, async () => {
    const h = await core()
    const input = { ...base, displayName: 'Deep' }
    const stored = await upsert(h, { ...input, metadata: nested(JSON_MAX_DEPTH) })
    expect(stored.metadata).toEqual(nested(JSON_MAX_DEPTH))
    for (const procedure of ['connections.upsert', 'connections.create']) {
      const error = await refusal(
        h.call(procedure, { ...input, externalId: 'x', metadata: nested(JSON_MAX_DEPTH + 1) }),
      )
      expect(error.code).toBe('VALIDATION')
      expect(error.message).toContain(`nested deeper than ${JSON_MAX_DEPTH} levels`)
    }
    const batch = await refusal(
      h.call('connections.upsertBatch', { items: [{ ...input, metadata: nested(5_000) }] }),
    )
    expect(batch.code).toBe('VALIDATION')
    const update = await refusal(h.call('connections.update', { id: stored.id, metadata: nested(5_000) }))
    expect(update.code).toBe('VALIDATION')
    expect((await h.call<AppConnection>('connections.get', { id: stored.id })).metadata).toEqual(
      nested(JSON_MAX_DEPTH),
    )
  })

  it('refuses metadata over 64 KiB and custom auth properties over 256 KiB, stating the limit', async () => {
    const h = await core()
    const big = await refusal(
      h.call('connections.upsert', {
        ...base,
        metadata: { notes: 'x'.repeat(65 * 1024) },
      }),
    )
    expect(big.code).toBe('VALIDATION')
    expect(big.message).toContain('Metadata is larger than 64 KiB')
    const props = Object.fromEntries(Array.from({ length: 5 }, (_u, i) => [`p${i}`, 'y'.repeat(60 * 1024)]))
    const custom = await refusal(
      h.call('connections.upsert', {
        ...base,
        type: 'CUSTOM_AUTH',
        value: { type: 'CUSTOM_AUTH', props },
      }),
    )
    expect(custom.code).toBe('VALIDATION')
    expect(custom.message).toContain('larger than 256 KiB')
  })
})

describe('text must be well-formed UTF-16', () => {
  it('refuses a lone surrogate in any string, in words, and stores nothing', async () => {
    const h = await core()
    for (const input of [
      { ...base, displayName: 'Bad \uD800' },
      { ...base, externalId: 'id-\uDC00' },
      { ...base, metadata: { note: 'a\uDBFFb' } },
      { ...base, metadata: { ['k\uD800']: 1 } },
      {
        ...base,
        type: 'SECRET_TEXT',
        value: { type: 'SECRET_TEXT', secret_text: 's\uD83D' },
      },
    ]) {
      const error = await refusal(h.call('connections.upsert', input))
      expect(error.code).toBe('VALIDATION')
      expect(error.message).toContain('broken character')
    }
    const policy = await refusal(
      h.call('policies.set', { pieceName: 'p\uD800', projectId: 'proj', type: 'USER_REQUIRED' }),
    )
    expect(policy.code).toBe('VALIDATION')
    expect(await connectionCount(h)).toBe(0)
  })

  it('keeps well-formed text exactly: pairs, NUL, right-to-left and combining marks', async () => {
    const h = await core()
    const name = 'emoji 😀, nul \u0000, rtl \u202Eabc, e\u0301'
    const created = await upsert(h, { ...base, displayName: name, externalId: name })
    const read = await h.call<AppConnection>('connections.get', { id: created.id })
    expect([read.displayName, read.externalId]).toEqual([name, name])
  })
})

describe('prototype keys are stored or refused, never dropped', () => {
  it('refuses a custom auth property or metadata key named __proto__, at any depth', async () => {
    const h = await core()
    const viaJson = (text: string) => JSON.parse(text) as Record<string, unknown>
    const inputs = [
      {
        ...base,
        type: 'CUSTOM_AUTH',
        value: { type: 'CUSTOM_AUTH', props: viaJson('{"__proto__": "secret", "user": "u"}') },
      },
      { ...base, metadata: viaJson('{"__proto__": {"a": 1}}') },
      { ...base, metadata: viaJson('{"outer": [{"__proto__": 1}]}') },
    ]
    for (const input of inputs) {
      const error = await refusal(h.call('connections.upsert', input))
      expect(error.code).toBe('VALIDATION')
      expect(error.message).toContain('“__proto__”')
    }
    expect(await connectionCount(h)).toBe(0)
  })

  it('stores constructor and prototype as ordinary keys and reads them back', async () => {
    const h = await core()
    const props = JSON.parse('{"constructor": "c", "prototype": "p", "hasOwnProperty": "h"}') as Record<
      string,
      string
    >
    const metadata = JSON.parse('{"constructor": {"prototype": 1}, "toString": "t"}') as Record<
      string,
      unknown
    >
    const created = await upsert(h, {
      ...base,
      type: 'CUSTOM_AUTH',
      value: { type: 'CUSTOM_AUTH', props },
      metadata,
    })
    const read = await h.call<AppConnection>('connections.get', { id: created.id })
    expect(read.metadata).toEqual(metadata)
    const revealed = await h.call<{ value: { props: Record<string, string> } }>('connections.reveal', {
      id: created.id,
    })
    expect(revealed.value.props).toEqual(props)
  })
})
