import type { z } from 'zod'
import { AppError, internalError, type Result } from '../../shared/errors'
import {
  procedures,
  type OutputOf,
  type ParsedInputOf,
  type ProcedureName,
  type Procedures,
} from '../../shared/contract'

/** What a handler knows about who called it; never the transport itself. */
export interface CallContext {
  /** A short label for the caller, for audit entries ("desktop", "browser"). */
  origin: string
}

export type Handler<Name extends ProcedureName> = (
  input: ParsedInputOf<Procedures[Name]>,
  context: CallContext,
) => OutputOf<Procedures[Name]> | Promise<OutputOf<Procedures[Name]>>

export type Handlers = { [Name in ProcedureName]: Handler<Name> }

export interface Router {
  dispatch(name: string, rawInput: unknown, context: CallContext): Promise<Result<unknown>>
}

export interface RouterOptions {
  /** Receives failures that were not AppErrors, for a log that never sees the input. */
  onUnexpectedError?: (procedure: string, error: unknown) => void
}

export function isProcedureName(name: string): name is ProcedureName {
  return Object.hasOwn(procedures, name)
}

export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
}

function describeIssues(issues: { path: string; message: string }[]): string {
  const first = issues[0]
  if (!first) return 'The request is not valid.'
  const where = first.path ? `${first.path}: ` : ''
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
  return `${where}${first.message}${more}`
}

/**
 * The one place every call passes through, whatever the transport: unknown procedures and
 * invalid inputs are refused before a handler runs, and a handler's failure becomes the
 * contract's error object. Messages from unexpected errors never leave, so no secret can leak
 * through an exception text.
 */
export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  return {
    async dispatch(name, rawInput, context) {
      try {
        if (!isProcedureName(name)) {
          throw new AppError('ENTITY_NOT_FOUND', {
            entityType: 'procedure',
            entityId: name,
            message: `There is no procedure called "${name}".`,
          })
        }
        const parsed = procedures[name].input.safeParse(rawInput ?? {})
        if (!parsed.success) {
          const issues = issuesOf(parsed.error)
          throw new AppError('VALIDATION', { message: describeIssues(issues), issues })
        }
        const handler = handlers[name] as (input: unknown, context: CallContext) => unknown
        const value = await handler(parsed.data, context)
        return { ok: true, value: value ?? null }
      } catch (error) {
        if (error instanceof AppError) return { ok: false, error: error.toObject() }
        options.onUnexpectedError?.(name, error)
        return { ok: false, error: internalError().toObject() }
      }
    },
  }
}
