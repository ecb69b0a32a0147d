import { z } from 'zod'
import { procedure } from './define'

/**
 * A flow's reference to a connection. On a synced vault these are pulled from the remote (a flow
 * references a connection by externalId there); locally they can be recorded by hand, so that
 * "in use" checks and replace work offline too.
 */
export interface FlowReference {
  flowId: string
  connectionId: string
  flowName: string | null
  projectId: string | null
  /** Only active (enabled) flows block a delete. */
  active: boolean
}

const id = z.string().min(1).max(200)

export const flowsProcedures = {
  'flows.list': procedure(z.object({ connectionId: id }).strict()).returns<FlowReference[]>(),
  'flows.link': procedure(
    z
      .object({
        flowId: id,
        connectionId: id,
        flowName: z.string().min(1).max(200).nullable().default(null),
        projectId: id.nullable().default(null),
        active: z.boolean().default(true),
      })
      .strict(),
  ).returns<FlowReference>(),
  'flows.unlink': procedure(z.object({ flowId: id, connectionId: id }).strict()).returns<{
    removed: boolean
  }>(),
}
