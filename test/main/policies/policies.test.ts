import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type {
  AppConnection,
  AuditPage,
  ConnectionPolicy,
  PolicyResolution,
  PolicyType,
} from '../../../src/shared/contract'
import { POLICY_WORDS, STATUS_WORDS } from '../../../src/main/policies/policy-words'
import type { ErrorObject } from '../../../src/shared/errors'
import {
  connectionsHarness,
  insertRemote,
  secretText,
  SLACK,
  type ConnectionsHarness,
} from '../connections/support'

// The Weavz connection policies (seeds/weavz-connections-api.txt, "Connection Policies"), per
// (pieceName, projectId), tested through the router against a real unlocked vault.

const GMAIL = '@activepieces/piece-gmail'
const PROJECT = 'proj_a'
const OTHER_PROJECT = 'proj_b'
/** Every connection in these tests carries this secret; no answer may contain it. */
const SECRET = 'xoxb-policy-secret-0042'

let h: ConnectionsHarness
beforeEach(async () => {
  h = await connectionsHarness()
})
afterEach(async () => {
  await h.dispose()
})

/** Every answer and error of the test, so the last check can look for the secret in all of them. */
const answers: unknown[] = []
beforeEach(() => {
  answers.length = 0
})

async function call<T>(name: string, input: Record<string, unknown>): Promise<T> {
  const value = await h.call<T>(name, input)
  answers.push(value)
  return value
}
async function errorOf(name: string, input: unknown): Promise<ErrorObject> {
  const error = await h.errorOf(name, input)
  answers.push(error)
  return error
}

const set = (input: Record<string, unknown>) =>
  call<ConnectionPolicy>('policies.set', { pieceName: SLACK, projectId: PROJECT, ...input })
const list = (input: Record<string, unknown> = {}) => call<ConnectionPolicy[]>('policies.list', input)
const resolve = (input: Record<string, unknown> = {}) =>
  call<PolicyResolution>('policies.resolve', { pieceName: SLACK, projectId: PROJECT, ...input })
const resolveError = (input: Record<string, unknown> = {}) =>
  errorOf('policies.resolve', { pieceName: SLACK, projectId: PROJECT, ...input })

/** A connection holding SECRET: organisation-wide (no project) unless overridden. */
const connection = (overrides: Record<string, unknown> = {}): Promise<AppConnection> =>
  h.upsert({ value: secretText(SECRET), ...overrides })
/** A user's own connection, identified by their externalId. */
const userConnection = (externalId: string, overrides: Record<string, unknown> = {}) =>
  connection({ externalId, displayName: `${externalId}'s Slack`, ...overrides })

function setStatus(id: string, status: 'ERROR' | 'MISSING'): void {
  h.session.db
    .prepare(`UPDATE connections SET status = ?, status_reason = 'invalid_grant' WHERE id = ?`)
    .run(status, id)
}

function expectErrorShape(error: ErrorObject, code: string, statusCode: number): void {
  expect(error).toMatchObject({ statusCode, code, params: { message: expect.any(String) } })
  expect(error.params.message.length).toBeGreaterThan(10)
  expect(JSON.stringify(error)).not.toMatch(/\n\s+at /) // no stack
}

afterEach(() => {
  expect(JSON.stringify(answers)).not.toContain(SECRET)
})

describe('policies.set validation', () => {
  it.each([
    ['no input fields', {}],
    ['a missing projectId', { pieceName: SLACK, type: 'USER_REQUIRED' }],
    ['a missing pieceName', { projectId: PROJECT, type: 'USER_REQUIRED' }],
    ['a missing type', { pieceName: SLACK, projectId: PROJECT }],
    ['an unknown type', { pieceName: SLACK, projectId: PROJECT, type: 'ENFORCED_TEAM' }],
    ['a lower-case type', { pieceName: SLACK, projectId: PROJECT, type: 'user_required' }],
    ['an empty pieceName', { pieceName: '', projectId: PROJECT, type: 'USER_REQUIRED' }],
    ['an empty projectId', { pieceName: SLACK, projectId: '', type: 'USER_REQUIRED' }],
    ['a too long projectId', { pieceName: SLACK, projectId: 'p'.repeat(201), type: 'USER_REQUIRED' }],
    [
      'a numeric connectionId',
      { pieceName: SLACK, projectId: PROJECT, type: 'ENFORCED_ORG', connectionId: 7 },
    ],
    [
      'an empty connectionId',
      { pieceName: SLACK, projectId: PROJECT, type: 'ENFORCED_ORG', connectionId: '' },
    ],
    ['an unknown field', { pieceName: SLACK, projectId: PROJECT, type: 'USER_REQUIRED', orgId: 'org_1' }],
  ])('refuses %s with VALIDATION and writes nothing', async (_what, input) => {
    const error = await errorOf('policies.set', input)
    expectErrorShape(error, 'VALIDATION', 400)
    expect(error.params.issues?.length).toBeGreaterThan(0)
    expect(await list()).toEqual([])
  })

  it('refuses input that is not an object', async () => {
    expectErrorShape(await errorOf('policies.set', 'ENFORCED_ORG'), 'VALIDATION', 400)
    expectErrorShape(await errorOf('policies.set', null), 'VALIDATION', 400)
    expectErrorShape(await errorOf('policies.set', [1, 2]), 'VALIDATION', 400)
  })

  it('needs a connectionId for ENFORCED_ORG, ENFORCED_PROJECT and USER_WITH_DEFAULT', async () => {
    for (const type of ['ENFORCED_ORG', 'ENFORCED_PROJECT', 'USER_WITH_DEFAULT']) {
      const error = await errorOf('policies.set', { pieceName: SLACK, projectId: PROJECT, type })
      expectErrorShape(error, 'VALIDATION', 400)
      expect(error.params.message).toContain('needs a connection')
      expect(error.params.message).toContain(POLICY_WORDS[type as PolicyType])
    }
    expect(await list()).toEqual([])
  })

  it('refuses a default connection on USER_REQUIRED, which has none', async () => {
    const org = await connection()
    const error = await errorOf('policies.set', {
      pieceName: SLACK,
      projectId: PROJECT,
      type: 'USER_REQUIRED',
      connectionId: org.id,
    })
    expectErrorShape(error, 'VALIDATION', 400)
    expect(error.params.message).toMatch(/own connection.*no default/)
    expect(await list()).toEqual([])
  })

  it('refuses a connection that does not exist with ENTITY_NOT_FOUND naming it', async () => {
    const error = await errorOf('policies.set', {
      pieceName: SLACK,
      projectId: PROJECT,
      type: 'ENFORCED_ORG',
      connectionId: 'conn_nope',
    })
    expectErrorShape(error, 'ENTITY_NOT_FOUND', 404)
    expect(error.params).toMatchObject({ entityType: 'app_connection', entityId: 'conn_nope' })
    expect(await list()).toEqual([])
  })

  it("refuses another piece's connection, saying which piece it is for", async () => {
    const gmail = await connection({ pieceName: GMAIL, displayName: 'Team Gmail' })
    for (const type of ['ENFORCED_ORG', 'ENFORCED_PROJECT', 'USER_WITH_DEFAULT']) {
      const error = await errorOf('policies.set', {
        pieceName: SLACK,
        projectId: PROJECT,
        type,
        connectionId: gmail.id,
      })
      expectErrorShape(error, 'VALIDATION', 400)
      expect(error.params.message).toContain('Team Gmail')
      expect(error.params.message).toContain(GMAIL)
      expect(error.params.message).toContain(SLACK)
    }
    expect(await list()).toEqual([])
  })

  it('refuses to enforce or default to a connection that is not available in the project', async () => {
    const otherProjects = await connection({ projectIds: [OTHER_PROJECT], displayName: 'B only' })
    const platformElsewhere = await connection({
      scope: 'PLATFORM',
      projectIds: [OTHER_PROJECT, 'proj_c'],
      displayName: 'Shared by B and C',
    })
    for (const type of ['ENFORCED_ORG', 'ENFORCED_PROJECT', 'USER_WITH_DEFAULT']) {
      for (const target of [otherProjects, platformElsewhere]) {
        const error = await errorOf('policies.set', {
          pieceName: SLACK,
          projectId: PROJECT,
          type,
          connectionId: target.id,
        })
        expectErrorShape(error, 'VALIDATION', 400)
        expect(error.params.message).toContain(`not available in project ${PROJECT}`)
      }
    }
    expect(await list()).toEqual([])
  })

  it("refuses a project's own connection for the org-level policies (ENFORCED_ORG, USER_WITH_DEFAULT)", async () => {
    const projectOwn = await connection({ projectIds: [PROJECT], displayName: 'Project A Slack' })
    for (const type of ['ENFORCED_ORG', 'USER_WITH_DEFAULT']) {
      const error = await errorOf('policies.set', {
        pieceName: SLACK,
        projectId: PROJECT,
        type,
        connectionId: projectOwn.id,
      })
      expectErrorShape(error, 'VALIDATION', 400)
      expect(error.params.message).toContain('organisation-level')
    }
    // ...which ENFORCED_PROJECT is for.
    expect(await set({ type: 'ENFORCED_PROJECT', connectionId: projectOwn.id })).toMatchObject({
      type: 'ENFORCED_PROJECT',
      connectionId: projectOwn.id,
    })
  })

  it('answers VAULT_LOCKED for list, set and resolve while the vault is locked, and writes nothing', async () => {
    const org = await connection()
    await set({ type: 'ENFORCED_ORG', connectionId: org.id })
    await h.call('vault.lock')
    for (const [name, input] of [
      ['policies.list', {}],
      ['policies.set', { pieceName: SLACK, projectId: PROJECT, type: 'USER_REQUIRED' }],
      ['policies.resolve', { pieceName: SLACK, projectId: PROJECT, externalId: 'user-42' }],
    ] as const) {
      expectErrorShape(await errorOf(name, input), 'VAULT_LOCKED', 423)
    }
    await h.call('vault.unlock', { password: 'correct horse battery staple' })
    expect((await list()).map((policy) => policy.type)).toEqual(['ENFORCED_ORG'])
  })

  it('validates before it looks at the lock: bad input while locked is still VALIDATION', async () => {
    await h.call('vault.lock')
    expectErrorShape(await errorOf('policies.set', { pieceName: SLACK }), 'VALIDATION', 400)
  })
})

describe('policies.set and policies.list', () => {
  it('stores a policy and answers it with its time', async () => {
    const org = await connection()
    const policy = await set({ type: 'ENFORCED_ORG', connectionId: org.id })
    expect(policy).toEqual({
      pieceName: SLACK,
      projectId: PROJECT,
      type: 'ENFORCED_ORG',
      connectionId: org.id,
      updated: new Date(h.clock.now()).toISOString(),
    })
    expect(await list()).toEqual([policy])
  })

  it('defaults connectionId to null (USER_REQUIRED needs none)', async () => {
    const policy = await set({ type: 'USER_REQUIRED' })
    expect(policy.connectionId).toBeNull()
  })

  it('replaces the previous policy for the same (pieceName, projectId) instead of adding one', async () => {
    const org = await connection()
    const fallback = await connection({ displayName: 'Fallback' })
    await set({ type: 'ENFORCED_ORG', connectionId: org.id })
    h.clock.advance(60_000)
    await set({ type: 'USER_WITH_DEFAULT', connectionId: fallback.id })
    h.clock.advance(60_000)
    const last = await set({ type: 'USER_REQUIRED' })
    expect(await list()).toEqual([last])
    expect(last).toMatchObject({
      type: 'USER_REQUIRED',
      connectionId: null,
      updated: new Date(h.clock.now()).toISOString(),
    })
    // The replacement governs resolution: the previously enforced connection is no longer handed out.
    const error = await resolveError({ externalId: 'user-42' })
    expect(error.code).toBe('ENTITY_NOT_FOUND')
  })

  it('keeps one policy per (pieceName, projectId) and filters the list by either', async () => {
    const org = await connection()
    const gmail = await connection({ pieceName: GMAIL })
    await set({ type: 'ENFORCED_ORG', connectionId: org.id })
    await set({ projectId: OTHER_PROJECT, type: 'USER_REQUIRED' })
    await set({ pieceName: GMAIL, type: 'USER_WITH_DEFAULT', connectionId: gmail.id })

    const all = await list()
    expect(all.map((policy) => [policy.pieceName, policy.projectId, policy.type])).toEqual([
      [GMAIL, PROJECT, 'USER_WITH_DEFAULT'],
      [SLACK, PROJECT, 'ENFORCED_ORG'],
      [SLACK, OTHER_PROJECT, 'USER_REQUIRED'],
    ])
    expect((await list({ pieceName: SLACK })).map((policy) => policy.projectId)).toEqual([
      PROJECT,
      OTHER_PROJECT,
    ])
    expect((await list({ projectId: PROJECT })).map((policy) => policy.pieceName)).toEqual([GMAIL, SLACK])
    expect(await list({ pieceName: SLACK, projectId: OTHER_PROJECT })).toHaveLength(1)
    expect(await list({ pieceName: 'nothing' })).toEqual([])
  })

  it('refuses bad list filters', async () => {
    expectErrorShape(await errorOf('policies.list', { pieceName: '' }), 'VALIDATION', 400)
    expectErrorShape(await errorOf('policies.list', { type: 'ENFORCED_ORG' }), 'VALIDATION', 400)
  })

  it('a refused set leaves the previous policy in place', async () => {
    const org = await connection()
    const before = await set({ type: 'ENFORCED_ORG', connectionId: org.id })
    await errorOf('policies.set', {
      pieceName: SLACK,
      projectId: PROJECT,
      type: 'ENFORCED_PROJECT',
      connectionId: 'conn_gone',
    })
    expect(await list()).toEqual([before])
  })

  it('removes a policy, audited once, so resolve answers the user’s own connection again', async () => {
    const org = await connection()
    const own = await userConnection('user-7')
    await set({ type: 'ENFORCED_ORG', connectionId: org.id })
    expect(await call('policies.remove', { pieceName: SLACK, projectId: PROJECT })).toEqual({ removed: true })
    expect(await list()).toEqual([])
    expect(await resolve({ externalId: 'user-7' })).toMatchObject({
      connection: { id: own.id },
      policy: null,
    })
    // Removing what is not there is answered, not refused, and changes nothing.
    expect(await call('policies.remove', { pieceName: SLACK, projectId: PROJECT })).toEqual({
      removed: false,
    })
    const audit = await h.call<AuditPage>('audit.list', { limit: 100 })
    expect(audit.data.filter((entry) => entry.action === 'policy.remove')).toHaveLength(1)
    expectErrorShape(await errorOf('policies.remove', { pieceName: SLACK }), 'VALIDATION', 400)
  })
})

describe('policies.resolve', () => {
  it('validates its input', async () => {
    expectErrorShape(await errorOf('policies.resolve', { pieceName: SLACK }), 'VALIDATION', 400)
    expectErrorShape(await resolveError({ externalId: '' }), 'VALIDATION', 400)
    expectErrorShape(await resolveError({ connectionId: 'conn_1' }), 'VALIDATION', 400)
  })

  describe('ENFORCED_ORG', () => {
    it('gives every user the enforced org connection, never their own', async () => {
      const org = await connection({ displayName: 'Acme Slack' })
      const own = await userConnection('user-42')
      await set({ type: 'ENFORCED_ORG', connectionId: org.id })

      for (const externalId of ['user-42', 'user-without-connection', undefined]) {
        const resolution = await resolve(externalId === undefined ? {} : { externalId })
        expect(resolution.connection.id).toBe(org.id)
        expect(resolution.connection.id).not.toBe(own.id)
        expect(resolution.policy).toBe('ENFORCED_ORG')
        expect(resolution.reason).toMatch(/^The organisation enforces /)
        expect(resolution.reason).toContain(`project ${PROJECT}`)
      }
    })

    it('accepts a PLATFORM connection shared with several projects, including this one', async () => {
      const platform = await connection({ scope: 'PLATFORM', projectIds: [OTHER_PROJECT, PROJECT, 'proj_c'] })
      await set({ type: 'ENFORCED_ORG', connectionId: platform.id })
      const resolution = await resolve({ externalId: 'user-42' })
      expect(resolution.connection).toMatchObject({
        id: platform.id,
        scope: 'PLATFORM',
        projectIds: [PROJECT, OTHER_PROJECT, 'proj_c'], // sorted
      })
    })

    it('applies only to its own piece and project', async () => {
      const org = await connection()
      const own = await userConnection('user-42')
      await set({ type: 'ENFORCED_ORG', connectionId: org.id })
      const elsewhere = await resolve({ projectId: OTHER_PROJECT, externalId: 'user-42' })
      expect(elsewhere).toMatchObject({ connection: { id: own.id }, policy: null })
      const otherPiece = await resolveError({ pieceName: GMAIL, externalId: 'user-42' })
      expect(otherPiece.code).toBe('ENTITY_NOT_FOUND')
    })
  })

  describe('ENFORCED_PROJECT', () => {
    it("gives every user the project's enforced connection, never their own", async () => {
      const project = await connection({ projectIds: [PROJECT], displayName: 'Project A Slack' })
      const own = await userConnection('user-42', { projectIds: [PROJECT] })
      await set({ type: 'ENFORCED_PROJECT', connectionId: project.id })
      for (const input of [{ externalId: 'user-42' }, { externalId: 'someone-else' }, {}]) {
        const resolution = await resolve(input)
        expect(resolution.connection.id).toBe(project.id)
        expect(resolution.connection.id).not.toBe(own.id)
        expect(resolution.policy).toBe('ENFORCED_PROJECT')
        expect(resolution.reason).toMatch(/^The project enforces /)
      }
    })

    it('differs from ENFORCED_ORG in the policy and reason it reports', async () => {
      const org = await connection()
      await set({ type: 'ENFORCED_ORG', connectionId: org.id })
      const asOrg = await resolve({ externalId: 'user-42' })
      await set({ type: 'ENFORCED_PROJECT', connectionId: org.id })
      const asProject = await resolve({ externalId: 'user-42' })
      expect(asOrg.connection.id).toBe(org.id)
      expect(asProject.connection.id).toBe(org.id)
      expect([asOrg.policy, asProject.policy]).toEqual(['ENFORCED_ORG', 'ENFORCED_PROJECT'])
      expect(asOrg.reason).not.toBe(asProject.reason)
    })

    it('accepts a PLATFORM connection listing this project among several', async () => {
      const platform = await connection({ scope: 'PLATFORM', projectIds: [PROJECT, OTHER_PROJECT] })
      await set({ type: 'ENFORCED_PROJECT', connectionId: platform.id })
      await set({ projectId: OTHER_PROJECT, type: 'ENFORCED_PROJECT', connectionId: platform.id })
      expect((await resolve()).connection.id).toBe(platform.id)
      expect((await resolve({ projectId: OTHER_PROJECT })).connection.id).toBe(platform.id)
    })

    it('stops handing out a connection that has since left the project', async () => {
      const platform = await connection({
        scope: 'PLATFORM',
        projectIds: [PROJECT, OTHER_PROJECT],
        externalId: 'shared',
      })
      await set({ type: 'ENFORCED_PROJECT', connectionId: platform.id })
      await connection({ scope: 'PLATFORM', projectIds: [OTHER_PROJECT], externalId: 'shared' })
      const error = await resolveError({ externalId: 'user-42' })
      expectErrorShape(error, 'VALIDATION', 400)
      expect(error.params.message).toContain(`no longer available in project ${PROJECT}`)
    })
  })

  describe('USER_REQUIRED', () => {
    it('gives the user their own connection for the project, or an org-wide one of theirs', async () => {
      await connection({ displayName: 'Org Slack' }) // present, but USER_REQUIRED has no default
      const inProject = await userConnection('user-42', { projectIds: [PROJECT] })
      const orgWide = await userConnection('user-7')
      const platform = await userConnection('user-9', {
        scope: 'PLATFORM',
        projectIds: [OTHER_PROJECT, PROJECT],
      })
      await set({ type: 'USER_REQUIRED' })
      for (const [externalId, expected] of [
        ['user-42', inProject],
        ['user-7', orgWide],
        ['user-9', platform],
      ] as const) {
        const resolution = await resolve({ externalId })
        expect(resolution.connection.id).toBe(expected.id)
        expect(resolution.policy).toBe('USER_REQUIRED')
        expect(resolution.reason).toMatch(/^Each user brings their own connection/)
        expect(resolution.reason).toContain(`"${externalId}"`)
      }
    })

    it('finding no connection of the user is a clear ENTITY_NOT_FOUND, with no fallback', async () => {
      await connection({ displayName: 'Org Slack' })
      await set({ type: 'USER_REQUIRED' })
      const error = await resolveError({ externalId: 'user-42' })
      expectErrorShape(error, 'ENTITY_NOT_FOUND', 404)
      expect(error.params).toMatchObject({ entityType: 'app_connection', entityId: 'user-42' })
      expect(error.params.message).toContain('user-42')
      expect(error.params.message).toMatch(/their own connection and has no default/)
    })

    it("does not use the user's connection for another project or another piece", async () => {
      await userConnection('user-42', { projectIds: [OTHER_PROJECT] })
      await userConnection('user-42', { pieceName: GMAIL })
      await userConnection('user-9', { scope: 'PLATFORM', projectIds: [OTHER_PROJECT, 'proj_c'] })
      await set({ type: 'USER_REQUIRED' })
      expect((await resolveError({ externalId: 'user-42' })).code).toBe('ENTITY_NOT_FOUND')
      expect((await resolveError({ externalId: 'user-9' })).code).toBe('ENTITY_NOT_FOUND')
      expect((await resolve({ projectId: 'proj_c', externalId: 'user-9' })).policy).toBeNull()
    })

    it('needs an externalId', async () => {
      await set({ type: 'USER_REQUIRED' })
      const error = await resolveError()
      expectErrorShape(error, 'VALIDATION', 400)
      expect(error.params.message).toContain('externalId')
    })

    it("refuses the user's connection while it is ERROR or MISSING, asking to reconnect", async () => {
      const own = await userConnection('user-42')
      await set({ type: 'USER_REQUIRED' })
      for (const status of ['ERROR', 'MISSING'] as const) {
        setStatus(own.id, status)
        const error = await resolveError({ externalId: 'user-42' })
        expectErrorShape(error, 'VALIDATION', 400)
        expect(error.params).toMatchObject({ entityId: own.id })
        expect(error.params.message).toContain(STATUS_WORDS[status])
        expect(error.params.message).toContain('reconnect')
      }
    })
  })

  describe('USER_WITH_DEFAULT', () => {
    it("prefers the user's own connection", async () => {
      const fallback = await connection({ displayName: 'Org default' })
      const own = await userConnection('user-42')
      await set({ type: 'USER_WITH_DEFAULT', connectionId: fallback.id })
      const resolution = await resolve({ externalId: 'user-42' })
      expect(resolution).toMatchObject({ connection: { id: own.id }, policy: 'USER_WITH_DEFAULT' })
      expect(resolution.reason).toContain(`user's own connection`)
      expect(resolution.reason).toContain('"user-42"')
    })

    it('falls back to the default when the user has none, saying why', async () => {
      const fallback = await connection({ displayName: 'Org default' })
      await userConnection('user-42', { projectIds: [OTHER_PROJECT] }) // not in this project
      await set({ type: 'USER_WITH_DEFAULT', connectionId: fallback.id })
      const resolution = await resolve({ externalId: 'user-42' })
      expect(resolution).toMatchObject({ connection: { id: fallback.id }, policy: 'USER_WITH_DEFAULT' })
      expect(resolution.reason).toContain('"user-42" has no connection of its own')
      expect(resolution.reason).toContain('default connection')
    })

    it('falls back to the default when no externalId is given', async () => {
      const fallback = await connection()
      await set({ type: 'USER_WITH_DEFAULT', connectionId: fallback.id })
      const resolution = await resolve()
      expect(resolution.connection.id).toBe(fallback.id)
      expect(resolution.reason).toContain('no externalId was given')
    })

    it("falls back to the default while the user's own connection is ERROR", async () => {
      const fallback = await connection()
      const own = await userConnection('user-42')
      setStatus(own.id, 'ERROR')
      await set({ type: 'USER_WITH_DEFAULT', connectionId: fallback.id })
      const resolution = await resolve({ externalId: 'user-42' })
      expect(resolution.connection.id).toBe(fallback.id)
      expect(resolution.reason).toContain(`user's own connection is refused by its provider`)
    })

    it('accepts a PLATFORM default shared with this project', async () => {
      const platform = await connection({ scope: 'PLATFORM', projectIds: [PROJECT, OTHER_PROJECT] })
      await set({ type: 'USER_WITH_DEFAULT', connectionId: platform.id })
      expect((await resolve({ externalId: 'nobody' })).connection.id).toBe(platform.id)
    })
  })

  describe('a policy whose connection went away', () => {
    it('after a delete: a clear ENTITY_NOT_FOUND asking to set the policy again', async () => {
      const org = await connection()
      await set({ type: 'ENFORCED_ORG', connectionId: org.id })
      await h.call('connections.delete', { id: org.id })
      expect((await list())[0]).toMatchObject({ type: 'ENFORCED_ORG', connectionId: null })
      const error = await resolveError({ externalId: 'user-42' })
      expectErrorShape(error, 'ENTITY_NOT_FOUND', 404)
      expect(error.params.message).toContain('Set the policy again')
    })

    it("USER_WITH_DEFAULT still gives the user their own after the default's delete", async () => {
      const fallback = await connection()
      const own = await userConnection('user-42')
      await set({ type: 'USER_WITH_DEFAULT', connectionId: fallback.id })
      await h.call('connections.delete', { id: fallback.id })
      expect((await resolve({ externalId: 'user-42' })).connection.id).toBe(own.id)
      expect((await resolveError({ externalId: 'nobody' })).code).toBe('ENTITY_NOT_FOUND')
    })

    it('an enforced connection that is ERROR is refused, not handed out', async () => {
      const org = await connection({ displayName: 'Acme Slack' })
      await set({ type: 'ENFORCED_ORG', connectionId: org.id })
      setStatus(org.id, 'ERROR')
      const error = await resolveError({ externalId: 'user-42' })
      expectErrorShape(error, 'VALIDATION', 400)
      expect(error.params.message).toContain('Acme Slack')
      expect(error.params.message).toContain('refused by its provider')
    })
  })

  describe('no policy', () => {
    it('gives the user their own connection and says there is no policy', async () => {
      const own = await userConnection('user-42', { projectIds: [PROJECT] })
      const resolution = await resolve({ externalId: 'user-42' })
      expect(resolution).toMatchObject({ connection: { id: own.id }, policy: null })
      expect(resolution.reason).toContain('No policy')
      expect(resolution.reason).toContain('"user-42"')
    })

    it("prefers the user's connection in this project to a newer org-wide one of theirs", async () => {
      // One externalId has one connection per remote: the second lives on a remote.
      insertRemote(h.session, 'remote_weavz', 'weavz')
      const inProject = await userConnection('user-42', { remoteId: 'remote_weavz', projectIds: [PROJECT] })
      h.clock.advance(1000)
      const orgWide = await userConnection('user-42')
      // Same externalId on another piece does not count.
      await userConnection('user-42', { pieceName: GMAIL, projectIds: [PROJECT] })
      expect((await resolve({ externalId: 'user-42' })).connection.id).toBe(inProject.id)
      expect((await resolve({ projectId: OTHER_PROJECT, externalId: 'user-42' })).connection.id).toBe(
        orgWide.id,
      )
      // ...unless the project's one is broken: an ACTIVE connection comes first.
      setStatus(inProject.id, 'ERROR')
      expect((await resolve({ externalId: 'user-42' })).connection.id).toBe(orgWide.id)
    })

    it('without an externalId or a connection of the user, is a clear error — never some other connection', async () => {
      await connection({ displayName: 'Org Slack' })
      const noUser = await resolveError()
      expectErrorShape(noUser, 'VALIDATION', 400)
      expect(noUser.params.message).toContain('no connection policy')
      expect(noUser.params.message).toContain('externalId')
      const unknown = await resolveError({ externalId: 'user-42' })
      expectErrorShape(unknown, 'ENTITY_NOT_FOUND', 404)
      expect(unknown.params.message).toContain('no policy')
    })
  })
})

describe('audit', () => {
  it('records every policy change with what it set, and no secret', async () => {
    const org = await connection()
    const entityId = `${SLACK}:${PROJECT}`
    await set({ type: 'ENFORCED_ORG', connectionId: org.id })
    h.clock.advance(1000)
    await set({ type: 'USER_REQUIRED' })
    h.clock.advance(1000)
    await set({ type: 'USER_WITH_DEFAULT', connectionId: org.id })
    await set({ projectId: OTHER_PROJECT, type: 'USER_REQUIRED' })

    const audit = await call<AuditPage>('audit.list', { entityId })
    expect(audit.data.map((entry) => [entry.action, entry.details.type, entry.details.connectionId])).toEqual(
      [
        ['policy.set', 'USER_WITH_DEFAULT', org.id],
        ['policy.set', 'USER_REQUIRED', null],
        ['policy.set', 'ENFORCED_ORG', org.id],
      ],
    )
    for (const entry of audit.data) {
      expect(entry).toMatchObject({
        origin: 'test',
        entityType: 'connection_policy',
        entityId,
        details: { pieceName: SLACK, projectId: PROJECT },
      })
    }
    expect(audit.data[2]?.at).toBe(new Date(Date.UTC(2026, 0, 1)).toISOString())
    const other = await call<AuditPage>('audit.list', { entityId: `${SLACK}:${OTHER_PROJECT}` })
    expect(other.data).toHaveLength(1)
    expect((await call<{ ok: boolean }>('audit.verify', {})).ok).toBe(true)
  })

  it('records nothing for a refused change, and nothing for list or resolve', async () => {
    const org = await connection()
    const before = (await call<AuditPage>('audit.list', { limit: 100 })).data.length
    await errorOf('policies.set', { pieceName: SLACK, projectId: PROJECT, type: 'ENFORCED_ORG' })
    await errorOf('policies.set', {
      pieceName: SLACK,
      projectId: PROJECT,
      type: 'ENFORCED_ORG',
      connectionId: 'x',
    })
    await errorOf('policies.set', {
      pieceName: GMAIL,
      projectId: PROJECT,
      type: 'ENFORCED_ORG',
      connectionId: org.id,
    })
    await list()
    await resolveError({ externalId: 'user-42' })
    expect((await call<AuditPage>('audit.list', { limit: 100 })).data).toHaveLength(before)
  })
})

describe('secrets', () => {
  it('no policy answer, resolution, error or audit entry holds a connection value', async () => {
    const org = await connection()
    const own = await userConnection('user-42')
    await set({ type: 'USER_WITH_DEFAULT', connectionId: org.id })
    const resolutions = [await resolve({ externalId: 'user-42' }), await resolve({ externalId: 'nobody' })]
    expect(resolutions.map((resolution) => resolution.connection.id)).toEqual([own.id, org.id])
    for (const resolution of resolutions) {
      expect(resolution.connection).not.toHaveProperty('value')
      expect(resolution.connection.hasValue).toBe(true)
    }
    await set({ type: 'ENFORCED_ORG', connectionId: org.id })
    await resolve()
    await list()
    await call<AuditPage>('audit.list', { limit: 100 })
    // The afterEach hook checks every answer and error of this test for SECRET.
    expect(answers.length).toBeGreaterThan(5)
  })
})

describe('words', () => {
  // The contract keeps the enum names for programs; every sentence a person reads uses words.
  const ENUM_NAME =
    /\b(ENFORCED_ORG|ENFORCED_PROJECT|USER_REQUIRED|USER_WITH_DEFAULT|ACTIVE|MISSING|ERROR|PLATFORM)\b/

  it('names no policy type, status or scope in any message or reason', async () => {
    const org = await connection({ displayName: 'Org Slack' })
    const own = await userConnection('user-42')
    const projectOnly = await connection({ externalId: 'p-only', projectIds: [OTHER_PROJECT] })
    const sentences: string[] = []
    const refusal = async (input: Record<string, unknown>) =>
      sentences.push(
        (await errorOf('policies.set', { pieceName: SLACK, projectId: PROJECT, ...input })).params.message,
      )
    for (const type of ['ENFORCED_ORG', 'ENFORCED_PROJECT', 'USER_WITH_DEFAULT']) await refusal({ type })
    await refusal({ type: 'USER_REQUIRED', connectionId: org.id })
    await refusal({ type: 'ENFORCED_ORG', connectionId: projectOnly.id })
    await refusal({ type: 'USER_WITH_DEFAULT', connectionId: projectOnly.id, projectId: OTHER_PROJECT })
    sentences.push((await resolveError({})).params.message)
    for (const type of ['ENFORCED_ORG', 'ENFORCED_PROJECT', 'USER_WITH_DEFAULT'] as const) {
      await set({ type, connectionId: org.id })
      sentences.push((await resolve({ externalId: 'nobody' })).reason)
    }
    await set({ type: 'USER_REQUIRED' })
    sentences.push((await resolve({ externalId: 'user-42' })).reason)
    sentences.push((await resolveError({})).params.message)
    sentences.push((await resolveError({ externalId: 'nobody' })).params.message)
    setStatus(own.id, 'ERROR')
    sentences.push((await resolveError({ externalId: 'user-42' })).params.message)
    await set({ type: 'ENFORCED_ORG', connectionId: org.id })
    setStatus(org.id, 'MISSING')
    sentences.push((await resolveError({})).params.message)
    await h.call('connections.delete', { id: org.id, force: true })
    sentences.push((await resolveError({})).params.message)

    expect(sentences).toHaveLength(16)
    for (const sentence of sentences) expect(sentence).not.toMatch(ENUM_NAME)
  })
})
