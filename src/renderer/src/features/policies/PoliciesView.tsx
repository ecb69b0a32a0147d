import { useEffect, useState } from 'react'
import { POLICY_TYPES } from '../../../../shared/contract/policies'
import { useFacetsStore } from '../../stores/facets-store'
import { pieceLabel, pieceMatches } from '../connections/format'
import { PolicyMatrixTable } from './PolicyMatrixTable'
import { POLICY_EXPLANATIONS, POLICY_LABELS } from './policy-labels'
import { ResolverPanel } from './ResolverPanel'
import { usePolicyMatrix } from './usePolicyMatrix'

const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b))

/**
 * Weavz's connection policies as a matrix of pieces × projects, each cell editable where it is,
 * beside the resolver that answers for one user, and the problems the resolver already sees.
 */
export function PoliciesView() {
  const { matrix, error, reload } = usePolicyMatrix()
  const facets = useFacetsStore((s) => s.facets)
  const loadFacets = useFacetsStore((s) => s.load)
  const [pieceFilter, setPieceFilter] = useState('')
  const [extraProjects, setExtraProjects] = useState<string[]>([])
  const [newProject, setNewProject] = useState('')
  useEffect(() => loadFacets(), [loadFacets])

  const policies = matrix?.policies ?? []
  const allPieces = sorted([
    ...(facets?.pieces ?? []).map((p) => p.pieceName),
    ...policies.map((p) => p.pieceName),
  ])
  const projects = sorted([
    ...(facets?.projects ?? []).map((p) => p.projectId),
    ...policies.map((p) => p.projectId),
    ...extraProjects,
  ])
  const pieces = allPieces.filter((p) => pieceMatches(p, pieceFilter))

  return (
    <section className="view policies-view" aria-labelledby="policies-title">
      <h2 id="policies-title">Connection policies</h2>
      <p>
        For each piece and project, who decides which connection a flow runs with. These are Weavz’s policies;
        without one, each user’s own connection is used.
      </p>
      <dl className="policy-legend">
        {POLICY_TYPES.map((type) => (
          <div key={type}>
            <dt>{POLICY_LABELS[type]}</dt>
            <dd className="muted small">
              {POLICY_EXPLANATIONS[type]} <span className="policy-api-name">{type}</span>
            </dd>
          </div>
        ))}
      </dl>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {matrix && matrix.problems.length > 0 ? (
        <section className="policy-problems" aria-labelledby="policy-problems-title">
          <h3 id="policy-problems-title">
            {matrix.problems.length === 1
              ? 'One policy needs attention'
              : `${matrix.problems.length} policies need attention`}
          </h3>
          <ul>
            {matrix.problems.map(({ policy, message }) => (
              <li key={`${policy.pieceName}:${policy.projectId}`}>
                <strong>
                  {pieceLabel(policy.pieceName)} in {policy.projectId}:
                </strong>{' '}
                {message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="policy-toolbar">
        <input
          type="search"
          aria-label="Find a piece"
          placeholder="Find a piece"
          value={pieceFilter}
          onChange={(e) => setPieceFilter(e.target.value)}
        />
        <form
          className="input-with-button"
          onSubmit={(e) => {
            e.preventDefault()
            const id = newProject.trim()
            if (id) setExtraProjects((list) => [...list, id])
            setNewProject('')
          }}
        >
          <input
            aria-label="Project id"
            placeholder="Another project id"
            value={newProject}
            maxLength={200}
            onChange={(e) => setNewProject(e.target.value)}
          />
          <button type="submit">Add column</button>
        </form>
      </div>
      {matrix === null && !error ? (
        <p className="muted" aria-busy="true">
          Loading policies…
        </p>
      ) : matrix && allPieces.length === 0 ? (
        <p className="muted" role="status">
          No connections yet, so no piece to set a policy for.
        </p>
      ) : matrix && projects.length === 0 ? (
        <p className="muted" role="status">
          No connection is linked to a project yet. Add a project id above to set a policy for it.
        </p>
      ) : matrix ? (
        <PolicyMatrixTable matrix={matrix} pieces={pieces} projects={projects} onChanged={reload} />
      ) : null}
      {allPieces.length > 0 && projects.length > 0 ? (
        <ResolverPanel pieces={allPieces} projects={projects} />
      ) : null}
    </section>
  )
}
