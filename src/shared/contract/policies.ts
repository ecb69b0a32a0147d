import { z } from 'zod'
import { procedure } from './define'
import type { AppConnection } from './connections'

/** Weavz connection policies, per (pieceName, projectId). */
export const POLICY_TYPES = [
  'ENFORCED_ORG',
  'ENFORCED_PROJECT',
  'USER_REQUIRED',
  'USER_WITH_DEFAULT',
] as const
export type PolicyType = (typeof POLICY_TYPES)[number]

export interface ConnectionPolicy {
  pieceName: string
  projectId: string
  type: PolicyType
  /** The enforced or default connection; null for USER_REQUIRED. */
  connectionId: string | null
  updated: string
}

export interface PolicyResolution {
  connection: AppConnection
  policy: PolicyType | null
  /** Why this connection, in words for a person. */
  reason: string
}

const id = z.string().min(1).max(200)

export const policiesProcedures = {
  'policies.list': procedure(
    z.object({ pieceName: id.optional(), projectId: id.optional() }).strict(),
  ).returns<ConnectionPolicy[]>(),
  'policies.set': procedure(
    z
      .object({
        pieceName: id,
        projectId: id,
        type: z.enum(POLICY_TYPES),
        connectionId: id.nullable().default(null),
      })
      .strict(),
  ).returns<ConnectionPolicy>(),
  /** Back to no policy for the pair: resolve then answers each user's own connection. */
  'policies.remove': procedure(z.object({ pieceName: id, projectId: id }).strict()).returns<{
    removed: boolean
  }>(),
  'policies.resolve': procedure(
    z.object({ pieceName: id, projectId: id, externalId: id.optional() }).strict(),
  ).returns<PolicyResolution>(),
}
