import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export interface Child {
  process: ChildProcessWithoutNullStreams
  lines: string[]
  /** Resolves with the first line that satisfies `predicate`. */
  waitFor(predicate: (line: string) => boolean): Promise<string>
  exited: Promise<number | null>
  stderr(): string
}

/** Runs a TypeScript script from ./children in a real Node process, as a second Latchkey would. */
export function runChild(script: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'children', script), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  const waiters: { predicate: (line: string) => boolean; resolve: (line: string) => void }[] = []
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line)
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    process: child,
    lines,
    exited,
    stderr: () => stderr,
    waitFor: (predicate) =>
      new Promise((resolve, reject) => {
        const found = lines.find(predicate)
        if (found !== undefined) return resolve(found)
        waiters.push({ predicate, resolve })
        void exited.then((code) =>
          reject(new Error(`child exited (${code}) first: ${stderr.slice(0, 2000)}`)),
        )
      }),
  }
}
