import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { acquireOwnerLock, processStartTime } from '../../../src/main/vault/owner-lock'

const dirs: string[] = []
const children: ChildProcess[] = []
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL')
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function vaultPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-owner-lock-'))
  dirs.push(dir)
  return join(dir, 'vault.sqlite')
}

/** A real, live process that is not a Latchkey: what a reused pid looks like. */
async function liveProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("up")'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  children.push(child)
  await new Promise((resolve) => child.stdout!.once('data', resolve))
  return child.pid!
}

const writeLock = (path: string, content: object) => writeFileSync(`${path}.lock`, JSON.stringify(content))
const lockOf = (path: string) => JSON.parse(readFileSync(`${path}.lock`, 'utf8')) as Record<string, unknown>

describe('the owner lock', () => {
  it.runIf(process.platform === 'linux')(
    'records the owner’s start time beside its pid (Linux /proc/<pid>/stat field 22)',
    () => {
      const path = vaultPath()
      const lock = acquireOwnerLock(path)
      expect(lockOf(path)).toEqual({
        pid: process.pid,
        host: hostname(),
        started: processStartTime(process.pid),
      })
      expect(lockOf(path).started).toMatch(/^\d+$/)
      lock.release()
    },
  )

  it.runIf(process.platform === 'linux')(
    'takes over a lock whose pid now belongs to another process (started at another time)',
    async () => {
      const path = vaultPath()
      const pid = await liveProcess()
      const started = processStartTime(pid)!
      // The dead owner had this pid; the process alive under it now started later.
      writeLock(path, { pid, host: hostname(), started: String(BigInt(started) - 1000n) })
      const lock = acquireOwnerLock(path)
      expect(lockOf(path)).toMatchObject({ pid: process.pid })
      lock.release()
    },
  )

  it.runIf(process.platform === 'linux')(
    'refuses while the process that wrote the lock is still alive, same pid and start time',
    async () => {
      const path = vaultPath()
      const pid = await liveProcess()
      writeLock(path, { pid, host: hostname(), started: processStartTime(pid) })
      expect(() => acquireOwnerLock(path)).toThrow(expect.objectContaining({ code: 'VAULT_UNAVAILABLE' }))
      expect(lockOf(path)).toMatchObject({ pid })
    },
  )

  it('falls back to the pid alone for a lock written without a start time', async () => {
    const path = vaultPath()
    const pid = await liveProcess()
    writeLock(path, { pid, host: hostname() })
    expect(() => acquireOwnerLock(path)).toThrow(
      expect.objectContaining({
        code: 'VAULT_UNAVAILABLE',
        params: expect.objectContaining({ holderPid: pid }),
      }),
    )
    const child = children.pop()!
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    const lock = acquireOwnerLock(path)
    expect(lockOf(path)).toMatchObject({ pid: process.pid })
    lock.release()
  })

  it('falls back to the pid alone where the OS gives no start time', async () => {
    const path = vaultPath()
    const pid = await liveProcess()
    writeLock(path, { pid, host: hostname(), started: '1' })
    expect(() => acquireOwnerLock(path, { startTimeOf: () => null })).toThrow(
      expect.objectContaining({ code: 'VAULT_UNAVAILABLE' }),
    )
  })
})
