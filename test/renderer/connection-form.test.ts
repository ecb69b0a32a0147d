import { describe, expect, it } from 'vitest'
import {
  emptyForm,
  formTyped,
  toCreateInput,
  toValue,
  validateCreate,
  validateUpdate,
  validateValue,
  type ConnectionForm,
} from '../../src/renderer/src/features/connections/connection-form'

const form = (patch: Partial<ConnectionForm>): ConnectionForm => ({
  ...emptyForm(),
  displayName: 'Sheets',
  pieceName: '@activepieces/piece-google-sheets',
  ...patch,
})

describe('the connection form', () => {
  it('sends every secret exactly as typed: edge spaces, tabs and line breaks kept', () => {
    const secret = '  \tline one\r\nline two  \n'
    expect(toCreateInput(form({ secretText: secret })).value).toEqual({
      type: 'SECRET_TEXT',
      secret_text: secret,
    })
    const oauth = form({
      type: 'OAUTH2',
      oauth: {
        ...emptyForm().oauth,
        access_token: ' at ',
        refresh_token: ' rt\n',
        client_secret: '\tcs ',
        token_url: 'https://example.com/token',
      },
    })
    expect(toValue(oauth)).toMatchObject({
      access_token: ' at ',
      refresh_token: ' rt\n',
      client_secret: '\tcs ',
    })
  })

  it('refuses a metadata or property value without a key instead of dropping it', () => {
    const metadata = [{ key: '', value: 'orphan' }]
    expect(validateCreate(form({ secretText: 's', metadata })).metadata).toBe(
      'Metadata row 1 has a value but no key. Add one, or remove the row.',
    )
    expect(validateUpdate('conn_1', 'Sheets', metadata).metadata).toContain('no key')
    const props = [
      { key: 'apiKey', value: 'k' },
      { key: ' ', value: 'v' },
    ]
    expect(validateValue(form({ type: 'CUSTOM_AUTH', props }))['value.props']).toBe(
      'Property row 2 has a value but no name. Add one, or remove the row.',
    )
    // An empty row is just an unused row.
    expect(
      validateCreate(form({ secretText: 's', metadata: [{ key: '', value: '' }] })).metadata,
    ).toBeUndefined()
  })

  it('checks a rotate value with the contract’s schema, the limit included', () => {
    expect(validateValue(form({ secretText: '' }))['value.secret_text']).toBe('The secret text is required.')
    expect(validateValue(form({ secretText: 'x'.repeat(64 * 1024 + 1) }))['value.secret_text']).toBe(
      'The secret text is larger than 64 KiB.',
    )
    expect(validateValue(form({ secretText: 'x'.repeat(64 * 1024) }))).toEqual({})
  })

  it('counts a form as typed once any field differs from an empty one', () => {
    expect(formTyped(emptyForm())).toBe(false)
    expect(formTyped({ ...emptyForm(), type: 'OAUTH2' })).toBe(false)
    expect(formTyped({ ...emptyForm(), password: 'p' })).toBe(true)
    expect(formTyped({ ...emptyForm(), displayName: 'x' })).toBe(true)
  })
})
