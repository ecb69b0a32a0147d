import { AppError, isConnectionInUse, type ErrorCode } from '../../shared/errors'

/** The documented exit codes: 0 ok, 1 error, 2 usage, 3 locked or authentication, 4 not found. */
export const EXIT = { ok: 0, error: 1, usage: 2, locked: 3, notFound: 4 } as const

/** One entry per contract code, so a new code cannot reach a person without an exit code. */
const EXIT_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION: EXIT.usage,
  AUTHENTICATION: EXIT.locked,
  FORBIDDEN: EXIT.locked,
  ENTITY_NOT_FOUND: EXIT.notFound,
  CONFLICT: EXIT.error,
  VAULT_LOCKED: EXIT.locked,
  INTERNAL: EXIT.error,
  OAUTH_FAILED: EXIT.error,
  REMOTE_UNAVAILABLE: EXIT.error,
  INTEGRITY: EXIT.error,
  VAULT_UNAVAILABLE: EXIT.error,
}

export function exitCodeOf(error: AppError): number {
  // Refused because flows use it: the input was fine, the vault said no.
  if (isConnectionInUse(error)) return EXIT.error
  return EXIT_BY_CODE[error.code] ?? EXIT.error
}

/** The one stderr line of a failure: the contract's code, then the message for a person. */
export function errorLine(error: AppError): string {
  const { params } = error
  let line = `latchkey: ${error.code}: ${params.message}`
  if (error.code === 'VAULT_UNAVAILABLE' && params.holderPid !== undefined) {
    const holder = `process ${params.holderPid}${params.holderHost ? ` on ${params.holderHost}` : ''}`
    if (!line.includes(String(params.holderPid))) line += ` (held by ${holder})`
  }
  if (error.code === 'VALIDATION' && params.issues?.length) {
    const detail = params.issues.map((issue) => `${issue.path || 'input'}: ${issue.message}`).join('; ')
    if (!line.includes(detail)) line += ` (${detail})`
  }
  return line.replace(/\s*\n\s*/g, ' ')
}

/** A plain text table: a header row, then one row per item, columns padded to their widest cell. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd()
  return [line(headers), ...rows.map(line)].join('\n') + '\n'
}

/** Key: value lines for one record. */
export function details(pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([key]) => key.length))
  return pairs.map(([key, value]) => `${`${key}:`.padEnd(width + 2)}${value}`).join('\n') + '\n'
}

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** A one-line counter on a terminal's stderr, nothing at all on a pipe. */
export function progress(stream: NodeJS.WriteStream, label: string) {
  const live = stream.isTTY === true
  return {
    update(done: number, total?: number) {
      if (!live) return
      const bar =
        total && total > 0
          ? ` [${'#'.repeat(Math.round((20 * done) / total)).padEnd(20, '.')}] ${done}/${total}`
          : ` ${done}`
      stream.write(`\r${label}${bar}`)
    },
    done() {
      if (live) stream.write('\r\u001b[K')
    },
  }
}
