import type { ErrorObject, Result } from '../../../shared/errors'

/**
 * The CLI channel speaks one JSON object per line. The client says hello (who it is), waits for
 * `ready` (the person approved this terminal) or `refused`, then sends calls; each call is answered
 * with the router's own Result, so errors arrive as the contract's error objects.
 */
export type ClientMessage =
  | { kind: 'hello'; pid: number; command: string; terminalKey: string; terminal: string | null }
  | { kind: 'call'; id: number; name: string; input: unknown }

export type ServerMessage =
  | { kind: 'ready'; holderPid: number }
  | { kind: 'refused'; error: ErrorObject }
  | { kind: 'result'; id: number; result: Result<unknown> }

/** A line longer than this is refused: the largest input (a 500-item batch) is far below it. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024

/** Splits a byte stream into lines, refusing one that grows past MAX_LINE_BYTES. */
export function lineReader(onLine: (line: string) => void, onTooLong: () => void): (chunk: Buffer) => void {
  let buffered: Buffer[] = []
  let size = 0
  return (chunk) => {
    let start = 0
    for (;;) {
      const end = chunk.indexOf(0x0a, start)
      if (end < 0) break
      const line = Buffer.concat([...buffered, chunk.subarray(start, end)]).toString('utf8')
      buffered = []
      size = 0
      start = end + 1
      onLine(line)
    }
    if (start < chunk.length) {
      buffered.push(chunk.subarray(start))
      size += chunk.length - start
      if (size > MAX_LINE_BYTES) {
        buffered = []
        size = 0
        onTooLong()
      }
    }
  }
}

export const encodeMessage = (message: ClientMessage | ServerMessage) => `${JSON.stringify(message)}\n`
