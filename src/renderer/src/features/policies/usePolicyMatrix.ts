import { useCallback, useEffect, useState } from 'react'
import type { AppConnection, ConnectionPolicy } from '../../../../shared/contract'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'

export interface PolicyProblem {
  policy: ConnectionPolicy
  message: string
}

export interface PolicyMatrix {
  policies: ConnectionPolicy[]
  /** The connections the policies name, by id; a deleted one is simply absent. */
  connections: Map<string, AppConnection>
  /** What the resolver refuses for each policy that names a connection (deleted, moved, broken). */
  problems: PolicyProblem[]
}

const key = (p: { pieceName: string; projectId: string }) => `${p.pieceName}\u0000${p.projectId}`
export const cellKey = key

async function connectionOrNull(id: string): Promise<AppConnection | null> {
  try {
    return await api().connections.get({ id })
  } catch (failure) {
    if (asAppError(failure).code === 'ENTITY_NOT_FOUND') return null
    throw failure
  }
}

/**
 * A policy's problem is whatever the resolver answers with no user given: for an enforced or
 * default connection that is exactly "which connection would everyone get", so a deleted, moved or
 * refused one shows here before any user hits it. "User's own, required" names none, so has none.
 */
async function problemOf(policy: ConnectionPolicy): Promise<string | null> {
  if (policy.type === 'USER_REQUIRED') return null
  try {
    await api().policies.resolve({ pieceName: policy.pieceName, projectId: policy.projectId })
    return null
  } catch (failure) {
    const error = asAppError(failure)
    if (error.code === 'VAULT_LOCKED' || error.code === 'INTERNAL') throw failure
    return error.params.message
  }
}

/** Every policy, the connections they name and their problems; reloads on any connection change. */
export function usePolicyMatrix() {
  const [matrix, setMatrix] = useState<PolicyMatrix | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [version, setVersion] = useState(0)
  const reload = useCallback(() => setVersion((v) => v + 1), [])

  useEffect(() => {
    let current = true
    async function load(): Promise<PolicyMatrix> {
      const policies = await api().policies.list({})
      const ids = [...new Set(policies.flatMap((p) => (p.connectionId ? [p.connectionId] : [])))]
      const found = await Promise.all(ids.map(connectionOrNull))
      const connections = new Map(found.flatMap((c) => (c ? [[c.id, c] as const] : [])))
      const answers = await Promise.all(policies.map(problemOf))
      const problems = policies.flatMap((policy, i) => (answers[i] ? [{ policy, message: answers[i] }] : []))
      return { policies, connections, problems }
    }
    load()
      .then((loaded) => {
        if (!current) return
        setMatrix(loaded)
        setError(null)
      })
      .catch((failure: unknown) => {
        handleLockedError(failure)
        if (current) setError(asAppError(failure).params.message)
      })
    return () => {
      current = false
    }
  }, [version])

  useEffect(() => window.latchkey.on('connections.changed', reload), [reload])
  return { matrix, error, reload }
}
