import type { OAuthPreset } from '../../../../shared/contract/oauth'
import { KeyValueRows } from '../../components/KeyValueRows'
import { TextField } from '../../components/TextField'
import type { FieldErrors } from '../connections/connection-form'
import { choose, CUSTOM, type ProviderForm } from './provider-form'
import { usePresets } from './usePresets'

interface Props {
  form: ProviderForm
  onChange(form: ProviderForm): void
  errors: FieldErrors
}

/** Which authorization server to sign in with: a preset, or any provider by its endpoints or issuer. */
export function ProviderPicker({ form, onChange, errors }: Props) {
  const presets = usePresets()
  const preset = presets?.find((p) => p.id === form.choice)
  const patch = (next: Partial<ProviderForm>) => onChange({ ...form, ...next })
  return (
    <div className="oauth-provider">
      <fieldset
        className="oauth-choices"
        aria-invalid={errors['provider.choice'] ? true : undefined}
        aria-busy={presets === null}
      >
        <legend>Provider</legend>
        {(presets ?? []).map((p) => (
          <Choice key={p.id} value={p.id} label={p.name} form={form} presets={presets!} onChange={onChange} />
        ))}
        <Choice
          value={CUSTOM}
          label="Custom / OIDC issuer"
          form={form}
          presets={presets ?? []}
          onChange={onChange}
        />
        {errors['provider.choice'] ? <span className="field-error">{errors['provider.choice']}</span> : null}
      </fieldset>
      {preset ? <PresetNote preset={preset} /> : null}
      {form.choice === CUSTOM ? <CustomEndpoints form={form} patch={patch} errors={errors} /> : null}
      {form.choice ? (
        <div className="field-grid">
          <TextField
            label="Client id"
            value={form.clientId}
            onChange={(clientId) => patch({ clientId })}
            error={errors['provider.clientId']}
          />
          <TextField
            label="Client secret"
            type="password"
            value={form.clientSecret}
            onChange={(clientSecret) => patch({ clientSecret })}
            error={errors['provider.clientSecret']}
            hint="Optional: a desktop app cannot keep it secret, but some providers ask for one."
          />
          <TextField
            label="Scopes"
            value={form.scopes}
            onChange={(scopes) => patch({ scopes })}
            error={errors['provider.scopes']}
            hint="Separated by spaces or commas."
          />
          <TextField
            label="Fixed port"
            inputMode="numeric"
            value={form.fixedPort}
            onChange={(fixedPort) => patch({ fixedPort })}
            error={errors['provider.fixedPort']}
            hint={
              preset && !preset.anyLoopbackPort
                ? `${preset.name} matches the redirect address exactly: register http://127.0.0.1:PORT/callback and give that port.`
                : 'Empty: any free port (the provider accepts any loopback port).'
            }
          />
          {form.choice === CUSTOM ? (
            <div className="field">
              <label htmlFor="oauth-client-auth">Client authentication</label>
              <select
                id="oauth-client-auth"
                value={form.clientAuth || 'HEADER'}
                onChange={(e) => patch({ clientAuth: e.target.value as ProviderForm['clientAuth'] })}
              >
                <option value="HEADER">In the Authorization header</option>
                <option value="BODY">In the request body</option>
              </select>
            </div>
          ) : null}
        </div>
      ) : null}
      {form.choice === CUSTOM ? (
        <KeyValueRows
          label="Extra authorization parameters"
          rows={form.extraParams}
          onChange={(extraParams) => patch({ extraParams })}
          error={errors['provider.extraParams']}
        />
      ) : null}
    </div>
  )
}

function Choice(props: {
  value: string
  label: string
  form: ProviderForm
  presets: OAuthPreset[]
  onChange(form: ProviderForm): void
}) {
  return (
    <label className="oauth-choice">
      <input
        type="radio"
        name="oauth-provider"
        value={props.value}
        checked={props.form.choice === props.value}
        onChange={() => props.onChange(choose(props.form, props.value, props.presets))}
      />
      {props.label}
    </label>
  )
}

function PresetNote({ preset }: { preset: OAuthPreset }) {
  return (
    <p className="muted small oauth-note">
      {preset.note}{' '}
      <a href={preset.docsUrl} target="_blank" rel="noopener noreferrer">
        Register an app with {preset.name}
      </a>
      {preset.refreshTokens ? '' : ` · ${preset.name} issues no refresh token: its tokens do not expire.`}
    </p>
  )
}

function CustomEndpoints(props: {
  form: ProviderForm
  patch(next: Partial<ProviderForm>): void
  errors: FieldErrors
}) {
  const { form, patch, errors } = props
  return (
    <div className="field-grid">
      <div className="field">
        <label htmlFor="oauth-custom-kind">Find the endpoints</label>
        <select
          id="oauth-custom-kind"
          value={form.customKind}
          onChange={(e) => patch({ customKind: e.target.value as ProviderForm['customKind'] })}
        >
          <option value="issuer">From an OpenID Connect issuer</option>
          <option value="endpoints">Typed in</option>
        </select>
      </div>
      {form.customKind === 'issuer' ? (
        <TextField
          label="Issuer URL"
          value={form.issuer}
          onChange={(issuer) => patch({ issuer })}
          error={errors['provider.issuer']}
          placeholder="https://accounts.example.com"
          hint="Latchkey reads its /.well-known/openid-configuration."
        />
      ) : (
        <>
          <TextField
            label="Authorization URL"
            value={form.authorizationUrl}
            onChange={(authorizationUrl) => patch({ authorizationUrl })}
            error={errors['provider.authorizationUrl']}
            placeholder="https://example.com/oauth/authorize"
          />
          <TextField
            label="Token URL"
            value={form.tokenUrl}
            onChange={(tokenUrl) => patch({ tokenUrl })}
            error={errors['provider.tokenUrl']}
            placeholder="https://example.com/oauth/token"
          />
        </>
      )}
    </div>
  )
}
