import { oauthProviderSchema, type OAuthPreset, type OAuthProvider } from '../../../../shared/contract/oauth'
import type { FieldErrors, KeyValueRow } from '../connections/connection-form'

export const CUSTOM = 'custom'

/** The provider picker's inputs, as strings; `toProvider` shapes them for oauth.start. */
export interface ProviderForm {
  /** A preset's id, or CUSTOM. */
  choice: string
  /** Custom: endpoints typed in, or read from an OpenID Connect issuer's discovery document. */
  customKind: 'issuer' | 'endpoints'
  issuer: string
  authorizationUrl: string
  tokenUrl: string
  clientId: string
  clientSecret: string
  /** Space- or comma-separated, as providers document them. */
  scopes: string
  extraParams: KeyValueRow[]
  /** Empty: the preset's way (custom providers default to the header). */
  clientAuth: '' | 'HEADER' | 'BODY'
  fixedPort: string
}

export const emptyProviderForm = (): ProviderForm => ({
  choice: '',
  customKind: 'issuer',
  issuer: '',
  authorizationUrl: '',
  tokenUrl: '',
  clientId: '',
  clientSecret: '',
  scopes: '',
  extraParams: [],
  clientAuth: '',
  fixedPort: '',
})

/** Choosing a preset fills its default scopes, so the person sees (and can trim) what is asked. */
export function choose(form: ProviderForm, choice: string, presets: OAuthPreset[]): ProviderForm {
  const preset = presets.find((p) => p.id === choice)
  return { ...form, choice, scopes: preset ? preset.defaultScopes.join(' ') : '' }
}

const text = (value: string) => (value.trim() ? value.trim() : undefined)

function toProviderInput(form: ProviderForm): unknown {
  const scopes = form.scopes.split(/[\s,]+/).filter(Boolean)
  const extra: Record<string, string> = {}
  for (const row of form.extraParams) if (row.key.trim()) extra[row.key.trim()] = row.value
  const port = text(form.fixedPort)
  const client = {
    clientId: form.clientId.trim(),
    clientSecret: form.clientSecret === '' ? undefined : form.clientSecret,
    scopes: form.choice === CUSTOM || scopes.length > 0 ? scopes : undefined,
    extraParams: Object.keys(extra).length > 0 ? extra : undefined,
    clientAuth: form.clientAuth || undefined,
    fixedPort: port === undefined ? undefined : Number(port),
  }
  const base =
    form.choice !== CUSTOM
      ? { kind: 'preset', presetId: form.choice }
      : form.customKind === 'issuer'
        ? { kind: 'issuer', issuer: form.issuer.trim() }
        : { kind: 'custom', authorizationUrl: form.authorizationUrl.trim(), tokenUrl: form.tokenUrl.trim() }
  // The contract's objects are strict: absent fields go, rather than travel as undefined.
  return JSON.parse(JSON.stringify({ ...base, ...client }))
}

/** The provider for oauth.start, or the errors keyed as main would name them ("provider.clientId"). */
export function toProvider(
  form: ProviderForm,
): { provider: OAuthProvider; errors: null } | { provider: null; errors: FieldErrors } {
  if (!form.choice) return { provider: null, errors: { 'provider.choice': 'Choose a provider.' } }
  const parsed = oauthProviderSchema.safeParse(toProviderInput(form))
  if (parsed.success) return { provider: parsed.data, errors: null }
  const errors: FieldErrors = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] === undefined ? 'choice' : String(issue.path[0])
    errors[`provider.${field}`] ??=
      field === 'fixedPort' ? 'A port from 1024 to 65535, or empty for any free port.' : issue.message
  }
  return { provider: null, errors }
}
