import { useEffect, useState, type FormEvent } from 'react'
import { CONNECTION_TYPES, type ConnectionType } from '../../../../shared/contract/connections'
import { KeyValueRows } from '../../components/KeyValueRows'
import { Modal } from '../../components/Modal'
import { TextField } from '../../components/TextField'
import { FormFooter } from '../../components/FormFooter'
import { api } from '../../stores/api'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { useSelectionStore } from '../../stores/selection-store'
import { useUiStore } from '../../stores/ui-store'
import { emptyProviderForm, toProvider, type ProviderForm } from '../oauth/provider-form'
import { ProviderPicker } from '../oauth/ProviderPicker'
import { SignInWaiting } from '../oauth/SignInWaiting'
import { RemotePicker } from '../sync/RemotePicker'
import { useSignInFlow } from '../oauth/useSignInFlow'
import { toast } from '../toasts/toast-store'
import {
  emptyForm,
  formTyped,
  signsIn,
  toCreateInput,
  toSignInFields,
  validateCreate,
  validateSignInFields,
  type ConnectionForm,
  type FieldErrors,
} from './connection-form'
import { typeLabel } from './format'
import { useMainSubmit } from './useMainSubmit'
import { ValueFields } from './ValueFields'

export function CreateConnectionDialog({ onClose }: { onClose(): void }) {
  const [form, setForm] = useState<ConnectionForm>(emptyForm)
  // '' is this device only; the sign-in path has no remote yet (oauth.start takes none).
  const [remoteId, setRemoteId] = useState('')
  // Errors show after the first submit, then follow every edit (as main would answer).
  const [submitted, setSubmitted] = useState(false)
  const { busy, serverError, setServerError, run } = useMainSubmit()
  const invalidate = useConnectionsQuery((s) => s.invalidate)
  const openDetail = useSelectionStore((s) => s.open)
  const openDialog = useUiStore((s) => s.openDialog)
  const conflictId = serverError?.conflictId
  // OAuth2's main path is signing in with the provider; pasting tokens is the advanced one.
  const [oauthPath, setOAuthPath] = useState<'sign-in' | 'paste'>('sign-in')
  const [provider, setProvider] = useState<ProviderForm>(emptyProviderForm)
  const signIn = useSignInFlow()
  const signingIn = signsIn(form, oauthPath)
  const connectedId = signIn.flow?.status.state === 'connected' ? signIn.flow.status.connectionId : undefined

  useEffect(() => {
    if (!connectedId) return
    toast(`Signed in: created “${form.displayName.trim()}”.`)
    invalidate()
    openDetail(connectedId)
    onClose()
  }, [connectedId]) // eslint-disable-line react-hooks/exhaustive-deps -- once, when the flow connects

  const localErrors = () =>
    signingIn
      ? { ...validateSignInFields(form), ...(toProvider(provider).errors ?? {}) }
      : validateCreate(form)
  const errors: FieldErrors = submitted ? { ...signInFieldErrors(serverError?.fields), ...localErrors() } : {}
  const patch = (next: Partial<ConnectionForm>) => {
    setForm((f) => ({ ...f, ...next }))
    setServerError(null)
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    setSubmitted(true)
    if (Object.keys(localErrors()).length > 0) return
    if (signingIn) {
      const chosen = toProvider(provider).provider!
      // Straight from the click: browser mode opens its tab before anything is awaited.
      await run(() =>
        signIn.start(() => api().oauth.start({ provider: chosen, connection: toSignInFields(form) })),
      )
      return
    }
    await run(async () => {
      // The input was validated with the contract's schema above; main parses it again.
      const input = { ...toCreateInput(form), remoteId: remoteId || null } as Parameters<
        ReturnType<typeof api>['connections']['create']
      >[0]
      const { connection } = await api().connections.create(input)
      toast(`Created “${connection.displayName}”.`)
      invalidate()
      openDetail(connection.id)
      onClose()
    })
  }

  if (signIn.flow) {
    return (
      <Modal open onClose={onClose} title="New connection" wide>
        <SignInWaiting
          flow={signIn.flow}
          onCancel={signIn.cancel}
          onComplete={signIn.complete}
          onRetry={signIn.reset}
        />
      </Modal>
    )
  }

  return (
    <Modal open onClose={onClose} title="New connection" wide dirty={formTyped(form)}>
      <form onSubmit={submit} noValidate className="form">
        <div className="field-grid">
          <TextField
            label="Name"
            value={form.displayName}
            onChange={(displayName) => patch({ displayName })}
            error={errors.displayName}
            autoFocus
          />
          <TextField
            label="Piece name"
            value={form.pieceName}
            onChange={(pieceName) => patch({ pieceName })}
            error={errors.pieceName}
            placeholder="@activepieces/piece-slack"
          />
          <TextField
            label="Piece version"
            value={form.pieceVersion}
            onChange={(pieceVersion) => patch({ pieceVersion })}
            error={errors.pieceVersion}
            placeholder="0.5.2"
          />
          <TextField
            label="External id"
            value={form.externalId}
            onChange={(externalId) => patch({ externalId })}
            error={errors.externalId}
            hint="How flows refer to it; generated when empty."
          />
          <div className="field">
            <label htmlFor="connection-type">Type</label>
            <select
              id="connection-type"
              value={form.type}
              onChange={(e) => patch({ type: e.target.value as ConnectionType })}
            >
              {CONNECTION_TYPES.map((type) => (
                <option key={type} value={type}>
                  {typeLabel(type)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="connection-scope">Scope</label>
            <select
              id="connection-scope"
              value={form.scope}
              onChange={(e) => patch({ scope: e.target.value as ConnectionForm['scope'] })}
            >
              <option value="PROJECT">Project</option>
              <option value="PLATFORM">Platform</option>
            </select>
          </div>
          <TextField
            label="Project ids"
            value={form.projectIds}
            onChange={(projectIds) => patch({ projectIds })}
            error={errors.projectIds}
            hint={form.scope === 'PLATFORM' ? 'Comma-separated.' : 'At most one for a project connection.'}
          />
          {signingIn ? null : <RemotePicker value={remoteId} onChange={setRemoteId} />}
          {form.scope === 'PLATFORM' ? (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.preSelectForNewProjects}
                onChange={(e) => patch({ preSelectForNewProjects: e.target.checked })}
              />
              Pre-select for new projects
            </label>
          ) : null}
        </div>
        <h3>Credentials</h3>
        {form.type === 'OAUTH2' ? <OAuthPathChoice path={oauthPath} onChange={setOAuthPath} /> : null}
        {signingIn ? (
          <ProviderPicker
            form={provider}
            onChange={(next) => {
              setProvider(next)
              setServerError(null)
            }}
            errors={errors}
          />
        ) : (
          <>
            <ValueFields form={form} errors={errors} patch={patch} />
            <h3>Metadata</h3>
            <KeyValueRows
              label="Metadata"
              rows={form.metadata}
              onChange={(metadata) => patch({ metadata })}
              error={errors.metadata}
            />
          </>
        )}
        <FormFooter
          error={serverError?.message}
          errorActions={
            // "Update it": the existing connection, opened, or its value replaced in place.
            conflictId ? (
              <>
                <button type="button" onClick={() => openDialog({ kind: 'rotate', id: conflictId })}>
                  Rotate its value
                </button>
                <button
                  type="button"
                  onClick={() => {
                    openDetail(conflictId)
                    onClose()
                  }}
                >
                  Open the existing connection
                </button>
              </>
            ) : null
          }
          onCancel={onClose}
          submitLabel={signingIn ? 'Sign in with the provider' : 'Create connection'}
          busy={busy}
        />
      </form>
    </Modal>
  )
}

/** main names oauth.start's fields "connection.displayName"; the form names them "displayName". */
function signInFieldErrors(fields: FieldErrors | undefined): FieldErrors {
  const errors: FieldErrors = {}
  for (const [key, message] of Object.entries(fields ?? {}))
    errors[key.replace(/^connection\./, '')] = message
  return errors
}

function OAuthPathChoice(props: { path: 'sign-in' | 'paste'; onChange(path: 'sign-in' | 'paste'): void }) {
  return (
    <div className="oauth-path" role="radiogroup" aria-label="How to get the tokens">
      <label className="oauth-choice">
        <input
          type="radio"
          name="oauth-path"
          checked={props.path === 'sign-in'}
          onChange={() => props.onChange('sign-in')}
        />
        Sign in with the provider
      </label>
      <label className="oauth-choice">
        <input
          type="radio"
          name="oauth-path"
          checked={props.path === 'paste'}
          onChange={() => props.onChange('paste')}
        />
        Paste tokens (advanced)
      </label>
    </div>
  )
}
