import { openSync } from 'node:fs'
import { ReadStream, WriteStream } from 'node:tty'

/** The terminal to ask on: stdin when it is one, else /dev/tty (stdin may carry a secret or JSON). */
function openTerminal(): { input: ReadStream; output: WriteStream; owned: boolean } | null {
  if (process.stdin.isTTY && process.stderr.isTTY) {
    return { input: process.stdin as ReadStream, output: process.stderr as WriteStream, owned: false }
  }
  try {
    const input = new ReadStream(openSync('/dev/tty', 'r'))
    const output = new WriteStream(openSync('/dev/tty', 'w'))
    return { input, output, owned: true }
  } catch {
    return null
  }
}

export const hasTerminal = () => {
  const terminal = openTerminal()
  if (terminal?.owned) {
    terminal.input.destroy()
    terminal.output.destroy()
  }
  return terminal !== null
}

/**
 * Reads a line with echo off (raw mode), so the password never appears on screen or in the
 * scrollback. Null when there is no terminal to ask on, or the person pressed Ctrl+C/Ctrl+D.
 */
export function promptHidden(question: string): Promise<string | null> {
  const terminal = openTerminal()
  if (!terminal) return Promise.resolve(null)
  const { input, output, owned } = terminal
  // Echo off before the question shows: an answer typed the moment it appears must not be echoed.
  input.setRawMode(true)
  output.write(question)
  input.resume()
  return new Promise((resolve) => {
    let answer = ''
    const finish = (value: string | null) => {
      input.setRawMode(false)
      input.pause()
      input.off('data', onData)
      output.write('\n')
      if (owned) {
        input.destroy()
        output.destroy()
      }
      resolve(value)
    }
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(answer)
        if (char === '\u0003' || char === '\u0004') return finish(null)
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1)
        else answer += char
      }
    }
    input.on('data', onData)
  })
}
