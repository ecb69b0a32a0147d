import { describe, expect, it } from 'vitest'
import type { Remote } from '../../src/shared/contract'
import {
  emptyRemoteForm,
  formOfRemote,
  remoteFormErrors,
  toAddInput,
  toTestInput,
  toUpdateInput,
  type RemoteForm,
} from '../../src/renderer/src/features/sync/remote-form'

const saved: Remote = {
  id: 'rem_1',
  name: 'Team',
  dialect: 'activepieces',
  baseUrl: 'https://cloud.activepieces.com',
  projectId: 'proj1',
  orgId: null,
  created: '2026-11-30T10:00:00.000Z',
  updated: '2026-11-30T10:00:00.000Z',
  connectionCount: 3,
  pendingCount: 0,
}

const draft = (patch: Partial<RemoteForm>): RemoteForm => ({
  ...emptyRemoteForm(),
  name: 'Team',
  baseUrl: 'https://cloud.activepieces.com',
  projectId: 'proj1',
  apiKey: 'sk-key',
  ...patch,
})

describe('the remote form', () => {
  it('never fills the saved key back in, and sends a key only when one was typed', () => {
    const form = formOfRemote(saved)
    expect(form.apiKey).toBe('')
    expect(toUpdateInput(saved, form)).toEqual({ id: 'rem_1' })
    expect(toUpdateInput(saved, { ...form, name: 'Team 2' })).toEqual({ id: 'rem_1', name: 'Team 2' })
    expect(toUpdateInput(saved, { ...form, apiKey: ' sk-new\n' })).toEqual({
      id: 'rem_1',
      apiKey: ' sk-new\n',
    })
  })

  it('clears an id with an empty box (null), and sends no organisation for Activepieces', () => {
    expect(toAddInput(draft({ projectId: '  ', orgId: 'org1' }))).toMatchObject({
      projectId: null,
      orgId: null,
    })
    expect(toAddInput(draft({ dialect: 'weavz', orgId: ' org1 ' }))).toMatchObject({ orgId: 'org1' })
    expect(toUpdateInput(saved, { ...formOfRemote(saved), projectId: '' })).toEqual({
      id: 'rem_1',
      projectId: null,
    })
  })

  it('tests a draft as typed, a saved remote by id, and asks for the key when changed fields would go untested', () => {
    expect(toTestInput(null, draft({}))).toMatchObject({ dialect: 'activepieces', apiKey: 'sk-key' })
    expect(toTestInput(saved, formOfRemote(saved))).toEqual({ id: 'rem_1' })
    expect(toTestInput(saved, { ...formOfRemote(saved), baseUrl: 'https://other.example' })).toBe('needs-key')
    expect(
      toTestInput(saved, { ...formOfRemote(saved), baseUrl: 'https://other.example', apiKey: 'k' }),
    ).toMatchObject({
      baseUrl: 'https://other.example',
      apiKey: 'k',
    })
  })

  it("checks with the contract's own schema: project id for Activepieces, https except loopback, a key when adding", () => {
    expect(remoteFormErrors(draft({}), false)).toEqual({})
    expect(remoteFormErrors(draft({ projectId: '' }), false).projectId).toMatch(/project id/)
    expect(remoteFormErrors(draft({ dialect: 'weavz', projectId: '' }), false)).toEqual({})
    expect(remoteFormErrors(draft({ baseUrl: 'http://server.example' }), false).baseUrl).toMatch(/https:\/\//)
    expect(remoteFormErrors(draft({ baseUrl: 'http://127.0.0.1:8080' }), false)).toEqual({})
    expect(remoteFormErrors(draft({ apiKey: '' }), false).apiKey).toBe('An API key is required.')
    // Editing, an empty key means "keep the saved one".
    expect(remoteFormErrors(draft({ apiKey: '' }), true)).toEqual({})
  })
})
