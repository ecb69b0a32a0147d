import { readFileSync, readlinkSync } from 'node:fs'
import { isatty } from 'node:tty'

export interface TerminalIdentity {
  /** Stable for every command typed in one terminal session; keys the app's approval. */
  terminalKey: string
  terminal: string | null
}

/**
 * One approval covers one terminal session, as `op` does: on Linux the session id (setsid) with
 * its leader's start time, so a recycled pid cannot inherit an approval; elsewhere the parent
 * process (the shell). Same-user processes can claim any key; the channel's file permissions are
 * the boundary, the approval is the person's say over which terminal uses the vault.
 */
export function terminalIdentity(): TerminalIdentity {
  return { terminalKey: linuxSessionKey() ?? `ppid:${process.ppid}`, terminal: terminalName() }
}

function statFields(pid: number | 'self'): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name in parentheses may hold spaces; the fields after it do not.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null
  }
}

function linuxSessionKey(): string | null {
  if (process.platform !== 'linux') return null
  const own = statFields('self')
  const sessionId = Number(own?.[3])
  if (!Number.isInteger(sessionId) || sessionId <= 0) return null
  const leaderStart = statFields(sessionId)?.[19] ?? 'gone'
  return `sid:${sessionId}:${leaderStart}`
}

function terminalName(): string | null {
  for (const fd of [0, 1, 2]) {
    if (!isatty(fd)) continue
    try {
      return readlinkSync(`/proc/self/fd/${fd}`)
    } catch {
      return 'a terminal'
    }
  }
  return null
}
