import { useState, type FormEvent } from 'react'
import type { PolicyResolution } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { pieceLabel } from '../connections/format'

interface Props {
  pieces: string[]
  projects: string[]
}

interface Answer {
  asked: { pieceName: string; projectId: string; externalId: string }
  resolution: PolicyResolution | null
  refusal: string | null
}

/** "externalId X in project P for piece Y → connection Z, because …", from policies.resolve. */
export function ResolverPanel({ pieces, projects }: Props) {
  const [pieceName, setPiece] = useState(pieces[0] ?? '')
  const [projectId, setProject] = useState(projects[0] ?? '')
  const [externalId, setExternalId] = useState('')
  const [answer, setAnswer] = useState<Answer | null>(null)
  const [busy, setBusy] = useState(false)
  const piece = pieceName || pieces[0] || ''
  const project = projectId || projects[0] || ''

  async function submit(event: FormEvent) {
    event.preventDefault()
    const asked = { pieceName: piece, projectId: project, externalId: externalId.trim() }
    setBusy(true)
    try {
      const resolution = await api().policies.resolve({
        pieceName: asked.pieceName,
        projectId: asked.projectId,
        ...(asked.externalId ? { externalId: asked.externalId } : {}),
      })
      setAnswer({ asked, resolution, refusal: null })
    } catch (failure) {
      handleLockedError(failure)
      setAnswer({ asked, resolution: null, refusal: asAppError(failure).params.message })
    } finally {
      setBusy(false)
    }
  }

  const who = (a: Answer) => (a.asked.externalId ? `externalId “${a.asked.externalId}”` : 'Anyone')
  return (
    <section className="resolver" aria-labelledby="resolver-title">
      <h3 id="resolver-title">Which connection does a user get?</h3>
      <form className="resolver-form" onSubmit={submit}>
        <label>
          Piece
          <select value={piece} onChange={(e) => setPiece(e.target.value)} disabled={pieces.length === 0}>
            {pieces.map((p) => (
              <option key={p} value={p}>
                {pieceLabel(p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Project
          <select
            value={project}
            onChange={(e) => setProject(e.target.value)}
            disabled={projects.length === 0}
          >
            {projects.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          externalId
          <input
            value={externalId}
            onChange={(e) => setExternalId(e.target.value)}
            placeholder="the user's id, optional"
            spellCheck={false}
          />
        </label>
        <button type="submit" className="primary" disabled={busy || !piece || !project}>
          Resolve
        </button>
      </form>
      {answer ? (
        <div
          className={answer.refusal ? 'resolver-answer refused' : 'resolver-answer'}
          role="status"
          aria-label="Resolver answer"
        >
          <p>
            {who(answer)} in project {answer.asked.projectId} for {pieceLabel(answer.asked.pieceName)} →{' '}
            {answer.resolution ? (
              <strong>{answer.resolution.connection.displayName}</strong>
            ) : (
              <strong>no connection</strong>
            )}
          </p>
          <p className="muted">
            because{' '}
            {answer.resolution ? lowerFirst(answer.resolution.reason) : lowerFirst(answer.refusal ?? '')}
          </p>
        </div>
      ) : null}
    </section>
  )
}

const lowerFirst = (text: string) =>
  /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text
