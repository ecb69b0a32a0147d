import { useEffect, useState, type FormEvent } from 'react'
import type { AppConnection, ConnectionPolicy } from '../../../../shared/contract'
import { POLICY_TYPES, type PolicyType } from '../../../../shared/contract/policies'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { POLICY_LABELS, needsConnection } from './policy-labels'

interface Props {
  pieceName: string
  projectId: string
  policy: ConnectionPolicy | undefined
  onDone(changed: boolean): void
}

/** Connections of the piece usable in the project: linked to it, or to no project (organisation-wide). */
function useChoices(pieceName: string, projectId: string) {
  const [choices, setChoices] = useState<AppConnection[] | null>(null)
  useEffect(() => {
    let current = true
    api()
      .connections.list({ pieceName, sort: 'displayName', limit: 100 })
      .then((page) => {
        if (!current) return
        setChoices(page.data.filter((c) => c.projectIds.length === 0 || c.projectIds.includes(projectId)))
      })
      .catch((failure: unknown) => {
        handleLockedError(failure)
        if (current) setChoices([])
      })
    return () => {
      current = false
    }
  }, [pieceName, projectId])
  return choices
}

/**
 * Edits one cell of the matrix where it is: the policy, and the connection it enforces or falls back
 * to. Main decides what is allowed (an organisation policy needs an organisation-level connection)
 * and its sentence is shown here as it comes.
 */
export function PolicyCellEditor({ pieceName, projectId, policy, onDone }: Props) {
  const [type, setType] = useState<PolicyType | ''>(policy?.type ?? '')
  const [connectionId, setConnectionId] = useState(policy?.connectionId ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const choices = useChoices(pieceName, projectId)
  const where = `${pieceName} in ${projectId}`

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      if (type === '') {
        if (policy) await api().policies.remove({ pieceName, projectId })
      } else {
        await api().policies.set({
          pieceName,
          projectId,
          type,
          connectionId: needsConnection(type) && connectionId ? connectionId : null,
        })
      }
      onDone(true)
    } catch (failure) {
      handleLockedError(failure)
      setError(asAppError(failure).params.message)
      setBusy(false)
    }
  }

  return (
    <form
      className="policy-editor"
      aria-label={`Policy for ${where}`}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return
        e.stopPropagation()
        onDone(false)
      }}
    >
      <select
        aria-label="Policy"
        value={type}
        autoFocus
        onChange={(e) => setType(e.target.value as PolicyType | '')}
      >
        <option value="">No policy</option>
        {POLICY_TYPES.map((t) => (
          <option key={t} value={t}>
            {POLICY_LABELS[t]}
          </option>
        ))}
      </select>
      {type !== '' && needsConnection(type) ? (
        <select
          aria-label="Connection"
          value={connectionId}
          onChange={(e) => setConnectionId(e.target.value)}
        >
          <option value="">{choices === null ? 'Loading…' : 'Choose a connection'}</option>
          {(choices ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.displayName}
              {c.projectIds.length === 0 ? ' (organisation-wide)' : ''}
            </option>
          ))}
        </select>
      ) : null}
      {error ? (
        <p className="form-error small" role="alert">
          {error}
        </p>
      ) : null}
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={() => onDone(false)} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  )
}
