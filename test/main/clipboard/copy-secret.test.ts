import { afterEach, describe, expect, it } from 'vitest'
import type { AppConnection, AuditPage, CopyDelivery } from '../../../src/shared/contract'
import type { ErrorObject } from '../../../src/shared/errors'
import type { SystemClipboard } from '../../../src/main/adapters/clipboard'
import { createManualClock } from '../../support/manual-clock'
import { createUnlockedTestCore, type UnlockedTestCore } from '../../support/vault'

// The OS clipboard is the one part a test cannot reach; this one holds text the way it does.
function memoryClipboard(): SystemClipboard & { text: string; writes: number } {
  return {
    text: '',
    writes: 0,
    readText() {
      return this.text
    },
    writeText(text: string) {
      this.text = text
      this.writes += 1
    },
  }
}

let h: UnlockedTestCore | undefined
afterEach(async () => {
  await h?.dispose()
  h = undefined
})

async function create(core: UnlockedTestCore, input: Record<string, unknown>): Promise<AppConnection> {
  const result = await core.call<{ connection: AppConnection }>('connections.upsert', {
    pieceName: '@activepieces/piece-stripe',
    pieceVersion: '0.1.0',
    ...input,
  })
  return result.connection
}

const errorOf = async (core: UnlockedTestCore, input: unknown): Promise<ErrorObject> =>
  core.call('clipboard.copySecret', input).then(
    () => {
      throw new Error('copySecret succeeded but an error was expected')
    },
    (error: ErrorObject) => error,
  )

describe('clipboard.copySecret with a system clipboard (desktop)', () => {
  it('writes the secret in main, never returns it, and clears it after the configured time', async () => {
    const clock = createManualClock()
    const clipboard = memoryClipboard()
    h = await createUnlockedTestCore({ clock, dependencies: { clipboard } })
    await h.call('settings.set', { clipboardClearSeconds: 5 })
    const stripe = await create(h, {
      displayName: 'Stripe',
      type: 'SECRET_TEXT',
      value: { type: 'SECRET_TEXT', secret_text: 'sk_live_clip' },
    })

    const delivery = await h.call<CopyDelivery>('clipboard.copySecret', { connectionId: stripe.id })
    expect(delivery).toEqual({ delivery: 'system', clearAfterSeconds: 5 })
    expect(clipboard.text).toBe('sk_live_clip')
    clock.advance(4_999)
    expect(clipboard.text).toBe('sk_live_clip')
    clock.advance(1)
    expect(clipboard.text).toBe('')
  })

  it('leaves the clipboard alone when the person copied something else since', async () => {
    const clock = createManualClock()
    const clipboard = memoryClipboard()
    h = await createUnlockedTestCore({ clock, dependencies: { clipboard } })
    const stripe = await create(h, {
      displayName: 'Stripe',
      type: 'SECRET_TEXT',
      value: { type: 'SECRET_TEXT', secret_text: 'sk_live_clip' },
    })
    await h.call('clipboard.copySecret', { connectionId: stripe.id })
    clipboard.writeText('a note the person copied')
    clock.advance(60_000)
    expect(clipboard.text).toBe('a note the person copied')
  })

  it('never clears when the setting is 0', async () => {
    const clock = createManualClock()
    const clipboard = memoryClipboard()
    h = await createUnlockedTestCore({ clock, dependencies: { clipboard } })
    await h.call('settings.set', { clipboardClearSeconds: 0 })
    const stripe = await create(h, {
      displayName: 'Stripe',
      type: 'SECRET_TEXT',
      value: { type: 'SECRET_TEXT', secret_text: 'sk_keep' },
    })
    const timersBefore = clock.pendingTimers()
    await h.call('clipboard.copySecret', { connectionId: stripe.id })
    expect(clock.pendingTimers()).toBe(timersBefore)
    expect(clipboard.text).toBe('sk_keep')
  })
})

describe('clipboard.copySecret without a system clipboard (browser mode)', () => {
  it('hands the page the text to write, with the clear time', async () => {
    h = await createUnlockedTestCore()
    const jira = await create(h, {
      displayName: 'Jira',
      type: 'BASIC_AUTH',
      value: { type: 'BASIC_AUTH', username: 'ops@example.com', password: 'jira-pass' },
    })
    expect(await h.call('clipboard.copySecret', { connectionId: jira.id })).toEqual({
      delivery: 'renderer',
      text: 'jira-pass',
      clearAfterSeconds: 30,
    })
    expect(await h.call('clipboard.copySecret', { connectionId: jira.id, field: 'username' })).toMatchObject({
      text: 'ops@example.com',
    })
  })

  it('picks the access token of OAuth2 and the only property of custom auth', async () => {
    h = await createUnlockedTestCore()
    const slack = await create(h, {
      displayName: 'Slack',
      type: 'OAUTH2',
      value: { type: 'OAUTH2', access_token: 'xoxb-1', token_url: 'https://slack.com/api/oauth.v2.access' },
    })
    const crm = await create(h, {
      displayName: 'CRM',
      type: 'CUSTOM_AUTH',
      value: { type: 'CUSTOM_AUTH', props: { apiKey: 'crm-1' } },
    })
    expect(await h.call('clipboard.copySecret', { connectionId: slack.id })).toMatchObject({ text: 'xoxb-1' })
    expect(await h.call('clipboard.copySecret', { connectionId: crm.id })).toMatchObject({ text: 'crm-1' })
  })

  it('copies the first property of a custom auth with several, and any other by name', async () => {
    h = await createUnlockedTestCore()
    const crm = await create(h, {
      displayName: 'CRM',
      type: 'CUSTOM_AUTH',
      value: { type: 'CUSTOM_AUTH', props: { apiKey: 'crm-1', region: 'eu-1' } },
    })
    expect(await h.call('clipboard.copySecret', { connectionId: crm.id })).toMatchObject({ text: 'crm-1' })
    expect(await h.call('clipboard.copySecret', { connectionId: crm.id, field: 'region' })).toMatchObject({
      text: 'eu-1',
    })
  })

  it('copies every field of an OAuth2 value by name, each audited with its field', async () => {
    h = await createUnlockedTestCore()
    const value = {
      type: 'OAUTH2',
      access_token: 'at-1',
      refresh_token: 'rt-1',
      client_id: 'cid-1',
      client_secret: 'cs-1',
      token_url: 'https://example.com/token',
    }
    const app = await create(h, { displayName: 'App', type: 'OAUTH2', value })
    for (const field of ['access_token', 'refresh_token', 'client_id', 'client_secret', 'token_url']) {
      const delivery = await h.call('clipboard.copySecret', { connectionId: app.id, field })
      expect(delivery).toMatchObject({ text: value[field as keyof typeof value] })
    }
    const audit = await h.call<AuditPage>('audit.list', { entityId: app.id, limit: 100 })
    const fields = audit.data
      .filter((entry) => entry.action === 'connection.copy')
      .map((e) => e.details.field)
    expect(fields.sort()).toEqual([
      'access_token',
      'client_id',
      'client_secret',
      'refresh_token',
      'token_url',
    ])
  })

  it('audits each copy with the field, never the secret', async () => {
    h = await createUnlockedTestCore()
    const stripe = await create(h, {
      displayName: 'Stripe',
      type: 'SECRET_TEXT',
      value: { type: 'SECRET_TEXT', secret_text: 'sk_audit_me' },
    })
    await h.call('clipboard.copySecret', { connectionId: stripe.id })
    const audit = await h.call<AuditPage>('audit.list', { limit: 100 })
    const copies = audit.data.filter((entry) => entry.action === 'connection.copy')
    expect(copies).toHaveLength(1)
    expect(copies[0]).toMatchObject({ entityId: stripe.id, details: { field: 'secret_text' } })
    expect(JSON.stringify(audit)).not.toContain('sk_audit_me')
  })

  it('refuses what cannot be copied with VALIDATION or 404, naming fields but no secret, and audits nothing', async () => {
    h = await createUnlockedTestCore()
    const weather = await create(h, { displayName: 'Weather', type: 'NO_AUTH' })
    const crm = await create(h, {
      displayName: 'CRM',
      type: 'CUSTOM_AUTH',
      value: { type: 'CUSTOM_AUTH', props: { apiKey: 'crm-secret-1', region: 'eu-secret' } },
    })

    const nothing = await errorOf(h, { connectionId: weather.id })
    expect(nothing).toMatchObject({ statusCode: 400, code: 'VALIDATION' })
    expect(nothing.params.message).toBe('A NO_AUTH connection has nothing to copy.')

    const unknown = await errorOf(h, { connectionId: crm.id, field: 'token' })
    expect(unknown.params.message).toContain('no “token”')
    expect(unknown.params.message).toContain('apiKey, region')
    expect(JSON.stringify(unknown)).not.toMatch(/crm-secret-1|eu-secret/)

    expect(await errorOf(h, { connectionId: 'conn_nope' })).toMatchObject({
      statusCode: 404,
      code: 'ENTITY_NOT_FOUND',
    })
    expect(await errorOf(h, { connectionId: '' })).toMatchObject({ code: 'VALIDATION' })
    const audit = await h.call<AuditPage>('audit.list', { limit: 100 })
    expect(audit.data.some((entry) => entry.action === 'connection.copy')).toBe(false)
  })

  it('answers VAULT_LOCKED while locked', async () => {
    h = await createUnlockedTestCore()
    const stripe = await create(h, {
      displayName: 'Stripe',
      type: 'SECRET_TEXT',
      value: { type: 'SECRET_TEXT', secret_text: 'sk_1' },
    })
    await h.call('vault.lock')
    expect(await errorOf(h, { connectionId: stripe.id })).toMatchObject({
      statusCode: 423,
      code: 'VAULT_LOCKED',
    })
  })
})
