import type { z } from 'zod'
import { AppError, internalError, type FieldIssue, type Result } from '../../shared/errors'
import { fieldIssuesOf, humanIssueMessage, summarizeIssues } from '../../shared/contract/human-issues'
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

/** Every issue of a refused input, each a sentence naming its field in words (see human-issues.ts). */
export function issuesOf(error: z.ZodError): FieldIssue[] {
  return fieldIssuesOf(error)
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
        // A message written on the schema wins; every other issue is worded by humanIssueMessage, so
        // all of them come back at once, each naming its field and what it allows.
        const parsed = procedures[name].input.safeParse(rawInput ?? {}, { error: humanIssueMessage })
        if (!parsed.success) {
          const issues = issuesOf(parsed.error)
          throw new AppError('VALIDATION', { message: summarizeIssues(issues), issues })
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
