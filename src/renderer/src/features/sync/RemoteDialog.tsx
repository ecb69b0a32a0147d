import { useState, type FormEvent } from 'react'
import { REMOTE_DIALECTS, type Remote, type RemoteTestResult } from '../../../../shared/contract/remotes'
import { FormFooter } from '../../components/FormFooter'
import { Modal } from '../../components/Modal'
import { SecretField } from '../../components/SecretField'
import { TextField } from '../../components/TextField'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { DIALECT_LABELS } from './failure-words'
import { useRemotesStore } from './remotes-store'
import {
  emptyRemoteForm,
  formOfRemote,
  remoteFormErrors,
  toAddInput,
  toTestInput,
  toUpdateInput,
  type RemoteForm,
} from './remote-form'
import { TestResult } from './TestResult'
import { useSyncStore } from './sync-store'

const BASE_URL_HINT: Record<RemoteForm['dialect'], string> = {
  activepieces:
    'The server’s address, such as https://cloud.activepieces.com; Latchkey adds /api/v1/app-connections.',
  weavz: 'The server’s address, such as https://api.weavz.io; Latchkey adds /api/v1/connections.',
}

/**
 * Add a remote, or edit one. The API key is a secret field that is never filled back in: editing
 * leaves it empty, and empty means "keep the saved key". "Test connection" tries what is typed
 * before anything is saved, and says what failed in words.
 */
export function RemoteDialog({ remote, onClose }: { remote: Remote | null; onClose(): void }) {
  const editing = remote !== null
  const [form, setForm] = useState<RemoteForm>(() => (remote ? formOfRemote(remote) : emptyRemoteForm()))
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [testing, setTesting] = useState(false)
  const [tested, setTested] = useState<RemoteTestResult | 'needs-key' | null>(null)
  const [serverError, setServerError] = useState<{ message: string; fields: Record<string, string> } | null>(
    null,
  )
  const localErrors = remoteFormErrors(form, editing)
  const errors = submitted ? { ...serverError?.fields, ...localErrors } : {}
  const patch = (next: Partial<RemoteForm>) => {
    setForm((f) => ({ ...f, ...next }))
    setServerError(null)
    setTested(null)
  }

  function refused(failure: unknown) {
    handleLockedError(failure)
    const error = asAppError(failure)
    const fields: Record<string, string> = {}
    for (const issue of error.params.issues ?? []) fields[issue.path] ??= issue.message
    setServerError({ message: error.params.message, fields })
  }

  async function test() {
    setSubmitted(true)
    const input = toTestInput(remote, form)
    if (input === 'needs-key') return setTested('needs-key')
    if (Object.keys(localErrors).length > 0) return
    setTesting(true)
    setTested(null)
    try {
      setTested(await api().remotes.test(input))
    } catch (failure) {
      refused(failure)
    } finally {
      setTesting(false)
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    setSubmitted(true)
    if (Object.keys(localErrors).length > 0) return
    setBusy(true)
    try {
      const saved = remote
        ? await api().remotes.update(toUpdateInput(remote, form))
        : await api().remotes.add(toAddInput(form))
      toast(
        remote ? `Saved “${saved.name}”.` : `Added “${saved.name}”. Connections you bind to it sync with it.`,
      )
      await Promise.all([useRemotesStore.getState().load(), useSyncStore.getState().load()])
      onClose()
    } catch (failure) {
      refused(failure)
    } finally {
      setBusy(false)
    }
  }

  const typed = editing
    ? JSON.stringify(form) !== JSON.stringify(formOfRemote(remote))
    : JSON.stringify(form) !== JSON.stringify(emptyRemoteForm())
  return (
    <Modal
      open
      onClose={onClose}
      title={remote ? `Edit “${remote.name}”` : 'Add a remote'}
      wide
      dirty={typed}
    >
      <form onSubmit={submit} noValidate className="form">
        <div className="field-grid">
          <TextField
            label="Name"
            value={form.name}
            onChange={(name) => patch({ name })}
            error={errors.name}
            placeholder="Team Activepieces"
            autoFocus
          />
          <div className="field">
            <label htmlFor="remote-dialect">Kind of server</label>
            <select
              id="remote-dialect"
              value={form.dialect}
              disabled={editing}
              aria-describedby={editing ? 'remote-dialect-hint' : undefined}
              onChange={(e) => patch({ dialect: e.target.value as RemoteForm['dialect'] })}
            >
              {REMOTE_DIALECTS.map((dialect) => (
                <option key={dialect} value={dialect}>
                  {DIALECT_LABELS[dialect]}
                </option>
              ))}
            </select>
            {editing ? (
              <span id="remote-dialect-hint" className="muted small">
                Fixed once added: its connections were made for this kind of server.
              </span>
            ) : null}
          </div>
          <TextField
            label="Base URL"
            value={form.baseUrl}
            onChange={(baseUrl) => patch({ baseUrl })}
            error={errors.baseUrl}
            hint={BASE_URL_HINT[form.dialect]}
            inputMode="url"
          />
          <TextField
            label="Project id"
            value={form.projectId}
            onChange={(projectId) => patch({ projectId })}
            error={errors.projectId}
            hint={
              form.dialect === 'activepieces'
                ? 'Required: the server lists connections per project.'
                : 'Optional: limits sync to one project.'
            }
          />
          {form.dialect === 'weavz' ? (
            <TextField
              label="Organisation id"
              value={form.orgId}
              onChange={(orgId) => patch({ orgId })}
              error={errors.orgId}
              hint="Optional: the API key already names its organisation."
            />
          ) : null}
        </div>
        <SecretField
          label="API key"
          rows={1}
          value={form.apiKey}
          onChange={(apiKey) => patch({ apiKey })}
          error={errors.apiKey}
          hint={
            editing
              ? 'Leave empty to keep the saved key. A saved key is never shown again.'
              : 'Sealed in the vault like any secret, and never shown again.'
          }
        />
        <div className="button-row">
          <button type="button" onClick={() => void test()} disabled={testing || busy}>
            {testing ? 'Testing…' : 'Test connection'}
          </button>
        </div>
        {tested === 'needs-key' ? (
          <p className="sync-test" role="alert">
            Type the API key again to test these changes, or save them first.
          </p>
        ) : tested ? (
          <TestResult result={tested} />
        ) : null}
        <FormFooter
          error={serverError?.message}
          onCancel={onClose}
          submitLabel={remote ? 'Save remote' : 'Add remote'}
          busy={busy}
        />
      </form>
    </Modal>
  )
}
