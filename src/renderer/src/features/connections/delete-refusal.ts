import { isConnectionInUse, type AppError } from '../../../../shared/errors'

/**
 * Why main refused a delete: active flows use it, or anything else. For "in use" the UI offers what
 * it can do (replace, or delete leaving a placeholder) and never shows main's own advice, which
 * addresses API callers ("Please remove it from flows first": the UI has no way to do that).
 */
export type DeleteRefusal =
  { kind: 'in-use'; activeFlows: number; flowIds: string[] } | { kind: 'other'; message: string }

/** Reads main's typed params; the message is shown as it is only when it is not the in-use refusal. */
export function deleteRefusalOf(error: AppError): DeleteRefusal {
  if (isConnectionInUse(error)) {
    const { activeFlows, flowIds } = error.params
    return { kind: 'in-use', activeFlows, flowIds }
  }
  return { kind: 'other', message: error.params.message }
}
