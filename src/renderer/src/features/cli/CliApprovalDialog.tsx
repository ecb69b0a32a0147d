import { useCallback, useEffect, useState } from 'react'
import type { CliSessionRequest } from '../../../../shared/contract'
import { Modal } from '../../components/Modal'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import './cli.css'

/**
 * Asks the person whether a terminal's `latchkey` command may use the unlocked vault (1Password's
 * app-integration model). Deny has the focus: Enter on a dialog that appeared unasked must not grant
 * access. Requests come one at a time, oldest first; main times out the ones nobody answers.
 */
export function CliApprovalDialog() {
  const [requests, setRequests] = useState<CliSessionRequest[]>([])
  const [problem, setProblem] = useState<string | null>(null)
  const load = useCallback(async () => {
    try {
      setRequests(await api().cli.requests({}))
    } catch (failure) {
      handleLockedError(failure)
    }
  }, [])
  useEffect(() => {
    void load()
    return window.latchkey.on('cli.requestsChanged', () => void load())
  }, [load])

  const request = requests[0]
  if (!request) return null

  async function answer(approve: boolean) {
    setProblem(null)
    try {
      await api().cli.answer({ requestId: request!.requestId, approve })
    } catch (failure) {
      handleLockedError(failure)
      // Already gone (its command ended or timed out): the reload below drops it.
      const error = asAppError(failure)
      if (error.code !== 'ENTITY_NOT_FOUND') setProblem(error.params.message)
    }
    await load()
  }

  return (
    <Modal
      open
      role="alertdialog"
      title="Allow the command line?"
      description="If you allow it, commands from this terminal can read and change your connections, secrets included, until the terminal is idle for 10 minutes, 12 hours pass, or Latchkey locks."
      onClose={() => void answer(false)}
    >
      <dl className="cli-request">
        <dt>Command</dt>
        <dd>
          <code>{request.command}</code>
        </dd>
        <dt>Process</dt>
        <dd>{request.pid}</dd>
        <dt>Terminal</dt>
        <dd>{request.terminal ?? 'none (a script or service)'}</dd>
      </dl>
      {problem ? (
        <p role="alert" className="form-error">
          {problem}
        </p>
      ) : null}
      <div className="button-row end">
        <button type="button" autoFocus onClick={() => void answer(false)}>
          Deny
        </button>
        <button type="button" className="primary" onClick={() => void answer(true)}>
          Allow this terminal
        </button>
      </div>
    </Modal>
  )
}
