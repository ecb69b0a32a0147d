import {
  connectionValueSchema,
  createConnectionSchema,
  updateConnectionSchema,
  type ConnectionScope,
  type ConnectionType,
  type ConnectionValue,
} from '../../../../shared/contract/connections'
import { oauthConnectionFieldsSchema } from '../../../../shared/contract/oauth'
import type { AnyErrorParams } from '../../../../shared/errors'

export interface KeyValueRow {
  key: string
  value: string
}

export interface OAuthFields {
  client_id: string
  client_secret: string
  access_token: string
  refresh_token: string
  token_type: string
  expires_in: string
  scope: string
  token_url: string
  redirect_url: string
  grant_type: '' | 'authorization_code' | 'client_credentials'
}

/** Everything the create dialog edits, as strings the inputs hold; `toCreateInput` shapes it for main. */
export interface ConnectionForm {
  displayName: string
  pieceName: string
  pieceVersion: string
  externalId: string
  type: ConnectionType
  scope: ConnectionScope
  projectIds: string
  preSelectForNewProjects: boolean
  secretText: string
  username: string
  password: string
  props: KeyValueRow[]
  oauth: OAuthFields
  metadata: KeyValueRow[]
}

export const emptyForm = (): ConnectionForm => ({
  displayName: '',
  pieceName: '',
  pieceVersion: '',
  externalId: '',
  type: 'SECRET_TEXT',
  scope: 'PROJECT',
  projectIds: '',
  preSelectForNewProjects: false,
  secretText: '',
  username: '',
  password: '',
  props: [{ key: '', value: '' }],
  oauth: {
    client_id: '',
    client_secret: '',
    access_token: '',
    refresh_token: '',
    token_type: 'Bearer',
    expires_in: '',
    scope: '',
    token_url: '',
    redirect_url: '',
    grant_type: '',
  },
  metadata: [],
})

/** Field errors keyed by the contract's issue path ("displayName", "value.token_url", "metadata"). */
export type FieldErrors = Record<string, string>

const optional = (text: string) => (text.trim() ? text.trim() : undefined)
/** A secret is sent exactly as typed or pasted, edge spaces and newlines included; only empty is absent. */
const present = (text: string) => (text === '' ? undefined : text)

function rowsToRecord(rows: KeyValueRow[]): Record<string, string> {
  const record: Record<string, string> = {}
  for (const row of rows) if (row.key.trim()) record[row.key.trim()] = row.value
  return record
}

/** A row with a value and no key would be dropped on save; it is an error instead (1-based row). */
function rowWithoutKey(rows: KeyValueRow[]): number | null {
  const index = rows.findIndex((row) => !row.key.trim() && row.value !== '')
  return index === -1 ? null : index + 1
}

/** Errors of key/value rows that the contract cannot see: a value without a key, a key twice. */
function rowErrors(rows: KeyValueRow[], what: 'property' | 'metadata'): string | null {
  const orphan = rowWithoutKey(rows)
  if (orphan !== null) {
    const row = what === 'property' ? `Property row ${orphan}` : `Metadata row ${orphan}`
    return `${row} has a value but no ${what === 'property' ? 'name' : 'key'}. Add one, or remove the row.`
  }
  const duplicate = duplicateKey(rows)
  if (duplicate === null) return null
  return what === 'property'
    ? `The property "${duplicate}" appears twice.`
    : `The key "${duplicate}" appears twice.`
}

function duplicateKey(rows: KeyValueRow[]): string | null {
  const seen = new Set<string>()
  for (const row of rows) {
    const key = row.key.trim()
    if (!key) continue
    if (seen.has(key)) return key
    seen.add(key)
  }
  return null
}

export function metadataFromRows(rows: KeyValueRow[]): Record<string, string> | null {
  const record = rowsToRecord(rows)
  return Object.keys(record).length > 0 ? record : null
}

function valueFor(form: ConnectionForm): unknown {
  const o = form.oauth
  switch (form.type) {
    case 'NO_AUTH':
      return undefined
    case 'SECRET_TEXT':
      return { type: 'SECRET_TEXT', secret_text: form.secretText }
    case 'BASIC_AUTH':
      return { type: 'BASIC_AUTH', username: form.username, password: form.password }
    case 'CUSTOM_AUTH':
    case 'OIDC':
      return { type: form.type, props: rowsToRecord(form.props) }
    case 'OAUTH2':
    case 'CLOUD_OAUTH2':
    case 'PLATFORM_OAUTH2': {
      const expires = o.expires_in.trim()
      return {
        type: form.type,
        access_token: o.access_token,
        token_url: o.token_url.trim(),
        client_id: optional(o.client_id),
        refresh_token: present(o.refresh_token),
        token_type: optional(o.token_type),
        // Not a number stays a string, so the contract's own check names the field.
        expires_in: expires === '' ? undefined : /^\d+$/.test(expires) ? Number(expires) : expires,
        scope: optional(o.scope),
        grant_type: o.grant_type || undefined,
        // Unix seconds, as the Activepieces server stores it: the token was obtained just now.
        claimed_at: expires ? Math.floor(Date.now() / 1000) : undefined,
        ...(form.type === 'OAUTH2' ? { client_secret: present(o.client_secret) } : {}),
        ...(form.type !== 'CLOUD_OAUTH2' ? { redirect_url: optional(o.redirect_url) } : {}),
      }
    }
  }
}

/** Drops undefined fields: the contract's objects are strict, and JSON would drop them anyway. */
function compact<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

export function toCreateInput(form: ConnectionForm) {
  return compact({
    displayName: form.displayName.trim(),
    pieceName: form.pieceName.trim(),
    pieceVersion: optional(form.pieceVersion),
    externalId: optional(form.externalId),
    type: form.type,
    value: valueFor(form),
    metadata: metadataFromRows(form.metadata),
    scope: form.scope,
    projectIds: form.projectIds
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
    preSelectForNewProjects: form.scope === 'PLATFORM' && form.preSelectForNewProjects,
  })
}

function issuesToErrors(issues: { path: PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of issues) {
    const path = issue.path.map(String).join('.')
    // value.props.<name> and similar collapse to their field, which is where the message shows.
    const key = path.startsWith('value.props')
      ? 'value.props'
      : path.startsWith('metadata')
        ? 'metadata'
        : path
    errors[key] ??= issue.message
  }
  return errors
}

/**
 * The same zod schema main validates with, run here first, so a form shows main's own messages
 * beside its fields without a round trip. Main still checks again: this is for people, not security.
 */
export function validateCreate(form: ConnectionForm): FieldErrors {
  const errors: FieldErrors = {}
  const parsed = createConnectionSchema.safeParse(toCreateInput(form))
  if (!parsed.success) Object.assign(errors, issuesToErrors(parsed.error.issues))
  Object.assign(errors, propErrors(form))
  const metadataError = rowErrors(form.metadata, 'metadata')
  if (metadataError) errors.metadata = metadataError
  return errors
}

function propErrors(form: ConnectionForm): FieldErrors {
  if (form.type !== 'CUSTOM_AUTH' && form.type !== 'OIDC') return {}
  const error = rowErrors(form.props, 'property')
  return error ? { 'value.props': error } : {}
}

/** The new value a rotate sends: the type's fields only, shaped as on create. */
export function toValue(form: ConnectionForm): ConnectionValue {
  return compact((valueFor(form) ?? { type: 'NO_AUTH' }) as ConnectionValue)
}

/** The rotate form's errors, by the contract's own value schema, keyed as on create ("value.…"). */
export function validateValue(form: ConnectionForm): FieldErrors {
  const errors: FieldErrors = {}
  const parsed = connectionValueSchema.safeParse(toValue(form))
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ ...issue, path: ['value', ...issue.path] }))
    Object.assign(errors, issuesToErrors(issues))
  }
  Object.assign(errors, propErrors(form))
  return errors
}

/** Whether any credential field holds something: what the unsaved-changes guard protects. */
export function valueTyped(form: ConnectionForm): boolean {
  const initial = emptyForm()
  return (
    form.secretText !== '' ||
    form.username !== '' ||
    form.password !== '' ||
    form.props.some((row) => row.key !== '' || row.value !== '') ||
    (Object.keys(initial.oauth) as (keyof OAuthFields)[]).some(
      (key) => form.oauth[key] !== initial.oauth[key],
    )
  )
}

/** Whether the create form differs from an empty one, in any field. */
export function formTyped(form: ConnectionForm): boolean {
  const initial = emptyForm()
  return (
    valueTyped(form) ||
    form.metadata.some((row) => row.key !== '' || row.value !== '') ||
    (['displayName', 'pieceName', 'pieceVersion', 'externalId', 'projectIds'] as const).some(
      (key) => form[key] !== initial[key],
    )
  )
}

export function validateUpdate(id: string, displayName: string, metadata: KeyValueRow[]): FieldErrors {
  const errors: FieldErrors = {}
  const parsed = updateConnectionSchema.safeParse({
    id,
    displayName: displayName.trim(),
    metadata: metadataFromRows(metadata),
  })
  if (!parsed.success) Object.assign(errors, issuesToErrors(parsed.error.issues))
  const metadataError = rowErrors(metadata, 'metadata')
  if (metadataError) errors.metadata = metadataError
  return errors
}

/** Main's refusal, field by field when it says which fields (params.issues). */
export function serverFieldErrors(params: AnyErrorParams): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of params.issues ?? []) {
    const key = issue.path.startsWith('value.props')
      ? 'value.props'
      : issue.path.startsWith('metadata')
        ? 'metadata'
        : issue.path
    errors[key] ??= issue.message
  }
  return errors
}

/**
 * An OAuth2 connection made by signing in: the same name, piece, id and scope fields, and no value
 * (the provider supplies it), shaped for oauth.start's `connection`.
 */
export function toSignInFields(form: ConnectionForm) {
  const {
    type: _type,
    value: _value,
    metadata: _metadata,
    preSelectForNewProjects: _pre,
    ...fields
  } = toCreateInput(form)
  return fields
}

export function validateSignInFields(form: ConnectionForm): FieldErrors {
  const parsed = oauthConnectionFieldsSchema.safeParse(toSignInFields(form))
  return parsed.success ? {} : issuesToErrors(parsed.error.issues)
}

/** OAuth2 is the one type with a sign-in; the others (and OAuth2's paste path) use the form. */
export const signsIn = (form: ConnectionForm, path: 'sign-in' | 'paste') =>
  form.type === 'OAUTH2' && path === 'sign-in'
