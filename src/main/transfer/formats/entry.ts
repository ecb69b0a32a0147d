import { AppError } from '../../../shared/errors'

/**
 * One entry of an import file, as its format reads it: the connection it would become (checked
 * later against the contract's upsert schema, like any other input), or why it cannot be one.
 */
export interface ImportEntry {
  /** Where in the file: "connections[3]", "line 12", "row 7", "items[2]". */
  at: string
  displayName: string
  pieceName: string
  externalId: string
  /** An upsert input, unchecked; null with `skip` when the entry is no connection. */
  candidate: Record<string, unknown> | null
  skip?: string
}

/** What a whole file gives, and options the person chose. */
export interface FormatOptions {
  /** For entries whose format names no piece. */
  pieceName?: string | undefined
}

/** A file that is not what its format says: nothing is imported, and the message says where. */
export function malformed(where: string, what: string): AppError<'VALIDATION'> {
  return new AppError('VALIDATION', {
    message: `The file is malformed at ${where}: ${what} Nothing was imported.`,
    issues: [{ path: 'source', message: `${where}: ${what}` }],
  })
}

/** Foreign formats name no Activepieces piece; the person picks one, once, for the whole file. */
export function requirePieceName(options: FormatOptions, format: string): string {
  if (options.pieceName) return options.pieceName
  const message = `Choose the piece these ${format} entries are for (for example @activepieces/piece-http).`
  throw new AppError('VALIDATION', { message, issues: [{ path: 'pieceName', message }] })
}

/** JSON.parse with the place it failed, as line and column. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const detail = error instanceof Error ? error.message : ''
    const position = /position (\d+)/.exec(detail)
    if (position) {
      const offset = Number(position[1])
      const before = text.slice(0, offset).split('\n')
      throw malformed(`line ${before.length}, column ${before.at(-1)!.length + 1}`, 'this is not valid JSON.')
    }
    const lines = text.split('\n').length
    throw malformed(`line ${lines}`, 'the JSON ends before it is complete.')
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const text = (value: unknown): string => (typeof value === 'string' ? value : '')
