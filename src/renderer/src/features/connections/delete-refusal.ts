import { isConnectionInUse, type AppError } from '../../../../shared/errors'

/** Why main refused a delete: active flows use it (so "Delete anyway" is offered), or anything else. */
export type DeleteRefusal =
  { kind: 'in-use'; activeFlows: number; flowIds: string[] } | { kind: 'other'; message: string }

/** Reads main's typed params; the message is shown as it is, never parsed. */
export function deleteRefusalOf(error: AppError): DeleteRefusal {
  if (isConnectionInUse(error)) {
    const { activeFlows, flowIds } = error.params
    return { kind: 'in-use', activeFlows, flowIds }
  }
  return { kind: 'other', message: error.params.message }
}
