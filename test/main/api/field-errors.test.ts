import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FieldIssue } from '../../../src/shared/errors'
import { createTestCore, type TestCore } from '../../support/core'

// What a form receives when main refuses an input: every field at once, each in words with its range.
describe('router field errors', () => {
  let test: TestCore
  beforeEach(() => {
    test = createTestCore()
  })
  afterEach(async () => {
    await test.dispose()
  })

  async function refusal(name: string, input: unknown): Promise<{ message: string; issues: FieldIssue[] }> {
    const result = await test.core.router.dispatch(name, input, { origin: 'test' })
    if (result.ok) throw new Error(`${name} accepted ${JSON.stringify(input)}`)
    expect(result.error.code).toBe('VALIDATION')
    return { message: result.error.params.message, issues: result.error.params.issues ?? [] }
  }

  it('names every bad setting at once, in words, with its unit and range', async () => {
    const { message, issues } = await refusal('settings.set', {
      autoLockMinutes: null,
      revealHideSeconds: 1,
      clipboardClearSeconds: 2.5,
    })
    expect(issues).toEqual([
      {
        path: 'autoLockMinutes',
        message: 'Lock after idle must be a whole number of minutes from 0 to 1440 (0 never locks on idle).',
      },
      {
        path: 'clipboardClearSeconds',
        message:
          'Clear the clipboard after must be a whole number of seconds from 0 to 600 (0 never clears).',
      },
      {
        path: 'revealHideSeconds',
        message: 'Hide revealed values after must be a whole number of seconds from 3 to 600.',
      },
    ])
    // The one-line form holds every sentence, with no schema jargon or property names.
    for (const issue of issues) expect(message).toContain(issue.message)
    expect(message).not.toMatch(/Invalid input|expected number|autoLockMinutes|and \d more\)/)
  })

  it('words a setting that is too large and an unknown key without schema text', async () => {
    const { issues } = await refusal('settings.set', {
      autoLockMinutes: 5000,
      lockOnSuspend: 'yes',
      colour: 'red',
    })
    expect(issues).toEqual([
      {
        path: 'autoLockMinutes',
        message: 'Lock after idle must be a whole number of minutes from 0 to 1440 (0 never locks on idle).',
      },
      { path: 'lockOnSuspend', message: 'Lock when the system sleeps must be on or off (true or false).' },
      { path: '', message: '“colour” is not a field Latchkey knows.' },
    ])
  })

  it('words a policy input: required ids with their length, and the policy type in words', async () => {
    const { issues } = await refusal('policies.set', {
      pieceName: '',
      projectId: 'x'.repeat(201),
      type: 'ALWAYS',
    })
    expect(issues).toEqual([
      { path: 'pieceName', message: 'Piece name is required (up to 200 characters).' },
      { path: 'projectId', message: 'Project id must be from 1 to 200 characters long.' },
      {
        path: 'type',
        message:
          'Type must be one of: enforced for the whole organisation, enforced for the project, each user brings their own or each user’s own, with a default.',
      },
    ])
    for (const issue of issues) expect(issue.message).not.toMatch(/ENFORCED|USER_|PROJECT\b/)
  })

  it('says a missing field is required and a wrong type is the wrong kind of value', async () => {
    const { issues } = await refusal('policies.resolve', { projectId: 42 })
    expect(issues).toEqual([
      { path: 'pieceName', message: 'Piece name is required (up to 200 characters).' },
      { path: 'projectId', message: 'Project id must be text.' },
    ])
  })

  it('words a flow link: the flag as on or off, and a list limit with its range', async () => {
    const link = await refusal('flows.link', { flowId: 'f', connectionId: 'c', active: 'sometimes' })
    expect(link.issues).toEqual([{ path: 'active', message: 'Active must be on or off (true or false).' }])
    const list = await refusal('audit.list', { limit: 0 })
    expect(list.issues[0]?.message).toMatch(/^Limit must be a whole number of items from 1 to \d+\.$/)
  })
})
