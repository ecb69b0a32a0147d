import { useState } from 'react'
import type { AppConnection } from '../../../../shared/contract'
import { isAppError, type AppError } from '../../../../shared/errors'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { flowsText } from '../connections/flow-usage'
import { pieceLabel } from '../connections/format'
import { toast } from '../toasts/toast-store'
import { ConnectionPicker } from './ConnectionPicker'
import { FlowList } from './FlowList'
import { ReplaceOptions } from './ReplaceOptions'
import { useFlows } from './useFlows'
import { useRemote } from './useRemote'

/** The seed's three reasons to replace, each with what to do first. */
function Uses() {
  return (
    <ul className="replace-uses">
      <li>
        <strong>Rotating credentials.</strong> Create a connection with the new key or token, move the flows
        to it here, then delete the old one: no flow runs with a half-changed secret.
      </li>
      <li>
        <strong>Migrating accounts.</strong> Connect the other account (a new workspace, a service user
        instead of a person), then move every flow to it at once.
      </li>
      <li>
        <strong>Merging duplicates.</strong> Two connections to the same account: move the flows of one onto
        the other, and delete the spare.
      </li>
    </ul>
  )
}

/** Main's refusal, naming the connection that went away instead of its id. */
function refusalText(error: AppError, source: AppConnection, target: AppConnection): string {
  if (!isAppError(error, 'ENTITY_NOT_FOUND')) return error.params.message
  const gone =
    error.params.entityId === target.id ? target : error.params.entityId === source.id ? source : null
  if (!gone) return error.params.message
  return `“${gone.displayName}” no longer exists: it was deleted after you chose it. Nothing was moved; choose another connection.`
}

interface Outcome {
  moved: number
  sourceName: string
  targetName: string
  deleted: boolean
}

/**
 * Moves every flow from one connection to another of the same piece (connections.replace): pick
 * both, see the flows that will move, confirm. Both sides' flows stay on screen, so the result is
 * seen, not only announced.
 */
export function ReplaceView() {
  const [source, setSource] = useState<AppConnection | null>(null)
  const [target, setTarget] = useState<AppConnection | null>(null)
  const [deleteSource, setDeleteSource] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const sourceFlows = useFlows(source?.id ?? null)
  const targetFlows = useFlows(target?.id ?? null)
  const remote = useRemote(source ? source.remoteId : null)
  const moving = sourceFlows.flows?.length ?? 0

  function chooseSource(connection: AppConnection | null) {
    setSource(connection)
    setOutcome(null)
    setError(null)
    // A target of another piece or remote could never be accepted.
    if (
      target &&
      (!connection || connection.pieceName !== target.pieceName || connection.remoteId !== target.remoteId)
    )
      setTarget(null)
  }

  async function confirm() {
    if (!source || !target) return
    setBusy(true)
    setError(null)
    try {
      const { movedFlowReferences } = await api().connections.replace({
        sourceAppConnectionId: source.id,
        targetAppConnectionId: target.id,
      })
      let deleted = false
      if (deleteSource && remote === 'local') {
        await api().connections.delete({ id: source.id, force: false })
        deleted = true
      }
      setOutcome({
        moved: movedFlowReferences,
        sourceName: source.displayName,
        targetName: target.displayName,
        deleted,
      })
      toast(`Moved ${flowsText(movedFlowReferences)} to “${target.displayName}”.`)
      if (deleted) setSource(null)
      sourceFlows.reload()
      targetFlows.reload()
    } catch (failure) {
      handleLockedError(failure)
      setError(refusalText(asAppError(failure), source, target))
      sourceFlows.reload()
      targetFlows.reload()
    } finally {
      setBusy(false)
    }
  }

  const piece = source ? pieceLabel(source.pieceName) : null
  return (
    <section className="view replace-view" aria-labelledby="replace-title">
      <h2 id="replace-title">Replace a connection</h2>
      <p>
        Move every flow that uses one connection to another connection of the same piece. The flows keep
        running; only the credentials they use change.
      </p>
      <Uses />
      <div className="replace-pickers">
        <ConnectionPicker
          label="Move flows from"
          filter={{}}
          chosen={source}
          onChoose={chooseSource}
          emptyText="There are no connections yet."
        />
        <ConnectionPicker
          key={source?.id ?? 'none'}
          label="To"
          filter={
            source
              ? {
                  pieceName: source.pieceName,
                  remoteId: source.remoteId,
                  status: ['ACTIVE', 'ERROR'],
                  excludeId: source.id,
                  withValue: true,
                }
              : {}
          }
          chosen={target}
          onChoose={(connection) => {
            setTarget(connection)
            setOutcome(null)
            setError(null)
          }}
          emptyText={
            piece
              ? `There is no other ${piece} connection with credentials${source?.remoteId ? ' on the same remote' : ''}. Create one first.`
              : 'Choose where the flows come from first.'
          }
          disabled={!source}
        />
      </div>
      {source ? (
        <p className="muted small">
          Only other {piece} connections with credentials
          {source.remoteId ? ' on the same remote' : ' kept in this vault only'} can take its flows.
        </p>
      ) : null}
      <div className="replace-sides">
        {source ? (
          <FlowList
            title={`Flows on “${source.displayName}”`}
            flows={sourceFlows.flows}
            error={sourceFlows.error}
          />
        ) : null}
        {target ? (
          <FlowList
            title={`Flows on “${target.displayName}”`}
            flows={targetFlows.flows}
            error={targetFlows.error}
          />
        ) : null}
      </div>
      {source ? (
        <ReplaceOptions
          source={source}
          remote={remote}
          deleteSource={deleteSource}
          onDeleteSource={setDeleteSource}
        />
      ) : null}
      {source && target && sourceFlows.flows ? (
        <p role="status" className="replace-summary">
          {moving === 0
            ? `No flow uses “${source.displayName}”, so there is nothing to move.`
            : `${moving === 1 ? 'Its flow' : `All ${flowsText(moving)}`} will use “${target.displayName}” instead of “${source.displayName}”.`}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {outcome ? (
        <p className="notice" role="status" aria-label="Replace result">
          Moved {flowsText(outcome.moved)} from “{outcome.sourceName}” to “{outcome.targetName}”.
          {outcome.deleted ? ` “${outcome.sourceName}” was then deleted.` : ''}
        </p>
      ) : null}
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={!source || !target || busy || moving === 0}
          onClick={() => void confirm()}
        >
          {busy ? 'Moving…' : moving > 0 ? `Move ${flowsText(moving)}` : 'Move flows'}
        </button>
      </div>
    </section>
  )
}
