import { KeyValueRows } from '../../components/KeyValueRows'
import { SecretField } from '../../components/SecretField'
import { TextField } from '../../components/TextField'
import type { ConnectionForm, FieldErrors, OAuthFields } from './connection-form'

interface Props {
  form: ConnectionForm
  errors: FieldErrors
  patch(patch: Partial<ConnectionForm>): void
  /** Focus the first credential field (the rotate dialog opens on it). */
  autoFocus?: boolean
}

/**
 * One set of fields per connection type; only the chosen type's fields are sent. Every secret is
 * a SecretField, kept byte for byte: several lines where a PEM key or a JSON key file is plausible
 * (secret text, client secret, custom and OIDC properties), one line where a value is a token or
 * a password (still a textarea, so nothing pasted is lost).
 */
export function ValueFields({ form, errors, patch, autoFocus = false }: Props) {
  switch (form.type) {
    case 'NO_AUTH':
      return <p className="muted small">This connection needs no credentials.</p>
    case 'SECRET_TEXT':
      return (
        <SecretField
          label="Secret text"
          rows={5}
          value={form.secretText}
          onChange={(secretText) => patch({ secretText })}
          error={errors['value.secret_text'] ?? errors.value}
          autoFocus={autoFocus}
        />
      )
    case 'BASIC_AUTH':
      return (
        <>
          <TextField
            label="Username"
            value={form.username}
            onChange={(username) => patch({ username })}
            error={errors['value.username'] ?? errors.value}
            autoFocus={autoFocus}
          />
          <SecretField
            label="Password"
            rows={1}
            value={form.password}
            onChange={(password) => patch({ password })}
            error={errors['value.password']}
          />
        </>
      )
    case 'CUSTOM_AUTH':
    case 'OIDC':
      return (
        <KeyValueRows
          label="Property"
          rows={form.props}
          onChange={(props) => patch({ props })}
          error={errors['value.props'] ?? errors.value}
          secretValues
        />
      )
    default:
      return <OAuthValueFields form={form} errors={errors} patch={patch} autoFocus={autoFocus} />
  }
}

function OAuthValueFields({ form, errors, patch, autoFocus }: Props) {
  const o = form.oauth
  const set = (field: keyof OAuthFields) => (value: string) => patch({ oauth: { ...o, [field]: value } })
  const error = (field: string) => errors[`value.${field}`]
  return (
    <div className="field-grid">
      <SecretField
        label="Access token"
        rows={1}
        value={o.access_token}
        onChange={set('access_token')}
        error={error('access_token') ?? errors.value}
        autoFocus={autoFocus}
      />
      <SecretField
        label="Refresh token"
        rows={1}
        value={o.refresh_token}
        onChange={set('refresh_token')}
        error={error('refresh_token')}
      />
      <TextField
        label="Token URL"
        type="url"
        value={o.token_url}
        onChange={set('token_url')}
        error={error('token_url')}
      />
      <TextField
        label="Client id"
        value={o.client_id}
        onChange={set('client_id')}
        error={error('client_id')}
      />
      {form.type === 'OAUTH2' ? (
        <SecretField
          label="Client secret"
          rows={2}
          value={o.client_secret}
          onChange={set('client_secret')}
          error={error('client_secret')}
        />
      ) : null}
      {form.type !== 'CLOUD_OAUTH2' ? (
        <TextField
          label="Redirect URL"
          value={o.redirect_url}
          onChange={set('redirect_url')}
          error={error('redirect_url')}
        />
      ) : null}
      <TextField
        label="Token type"
        value={o.token_type}
        onChange={set('token_type')}
        error={error('token_type')}
      />
      <TextField
        label="Expires in (seconds)"
        inputMode="numeric"
        value={o.expires_in}
        onChange={set('expires_in')}
        error={error('expires_in')}
      />
      <TextField label="OAuth scope" value={o.scope} onChange={set('scope')} error={error('scope')} />
      <div className="field">
        <label htmlFor="grant-type">Grant type</label>
        <select id="grant-type" value={o.grant_type} onChange={(e) => set('grant_type')(e.target.value)}>
          <option value="">Not set</option>
          <option value="authorization_code">Authorization code</option>
          <option value="client_credentials">Client credentials</option>
        </select>
      </div>
    </div>
  )
}
