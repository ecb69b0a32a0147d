import { AppError, notFoundError } from '../../../shared/errors'
import {
  CLI_REQUEST_TIMEOUT_MS,
  CLI_SESSION_IDLE_MS,
  CLI_SESSION_MAX_MS,
  type CliSessionRequest,
} from '../../../shared/contract/cli'
import type { Handlers } from '../../api/router'
import type { EventBus } from '../../api/event-bus'
import type { Clock } from '../../adapters/clock'
import type { RandomBytes } from '../../adapters/random'

/** What a CLI says about itself when it asks; `terminal` keys the approval, like `op`'s per-terminal grant. */
export interface CliAsker {
  pid: number
  command: string
  /** Stable for one terminal session (its session leader and start time), so each command need not ask. */
  terminalKey: string
  terminal: string | null
}

export type CliAdmission = 'approved' | 'denied'

/**
 * Which terminals the person let use the unlocked vault, and the requests waiting for an answer.
 * A session ends after CLI_SESSION_IDLE_MS without a call, after CLI_SESSION_MAX_MS at most, and
 * the moment the vault locks, which also denies every waiting request.
 */
export interface CliSessions {
  /** Resolves when the person answers, the request times out, or `signal` aborts (the CLI left). */
  admit(asker: CliAsker, signal: AbortSignal): Promise<CliAdmission>
  /** True, and the idle timer restarts, when the terminal has a live session. */
  use(terminalKey: string): boolean
  endAll(): void
  handlers: Pick<Handlers, 'cli.requests' | 'cli.answer'>
}

interface Pending {
  request: CliSessionRequest
  terminalKey: string
  settle: (admission: CliAdmission) => void
}

interface Session {
  startedAt: number
  lastUsedAt: number
}

export function createCliSessions(deps: {
  clock: Clock
  random: RandomBytes
  events: EventBus
}): CliSessions {
  const { clock, random, events } = deps
  const pending = new Map<string, Pending>()
  const sessions = new Map<string, Session>()

  const announce = () => events.emit('cli.requestsChanged', { pending: pending.size })

  const liveSession = (terminalKey: string): Session | null => {
    const session = sessions.get(terminalKey)
    if (!session) return null
    const now = clock.now()
    if (now - session.lastUsedAt >= CLI_SESSION_IDLE_MS || now - session.startedAt >= CLI_SESSION_MAX_MS) {
      sessions.delete(terminalKey)
      return null
    }
    return session
  }

  const settle = (requestId: string, admission: CliAdmission) => {
    const entry = pending.get(requestId)
    if (!entry) return false
    pending.delete(requestId)
    if (admission === 'approved') {
      const now = clock.now()
      sessions.set(entry.terminalKey, { startedAt: now, lastUsedAt: now })
    }
    entry.settle(admission)
    // Commands started together in one terminal (a script) share the one answer: one dialog, not many.
    for (const [otherId, other] of [...pending]) {
      if (other.terminalKey !== entry.terminalKey) continue
      pending.delete(otherId)
      other.settle(admission)
    }
    announce()
    return true
  }

  // A locked vault ends every session; a CLI must ask again after the next unlock.
  const endAll = () => {
    sessions.clear()
    for (const requestId of [...pending.keys()]) settle(requestId, 'denied')
  }
  events.subscribe((name, payload) => {
    if (name === 'vault.stateChanged' && (payload as { state: string }).state !== 'unlocked') endAll()
  })

  return {
    admit(asker, signal) {
      if (liveSession(asker.terminalKey)) return Promise.resolve('approved')
      return new Promise<CliAdmission>((resolve) => {
        const requestId = random(16).toString('base64url')
        const timer = clock.setTimeout(() => settle(requestId, 'denied'), CLI_REQUEST_TIMEOUT_MS)
        const onAbort = () => settle(requestId, 'denied')
        pending.set(requestId, {
          request: {
            requestId,
            pid: asker.pid,
            command: asker.command,
            terminal: asker.terminal,
            requestedAt: new Date(clock.now()).toISOString(),
          },
          terminalKey: asker.terminalKey,
          settle: (admission) => {
            clock.clearTimeout(timer)
            signal.removeEventListener('abort', onAbort)
            resolve(admission)
          },
        })
        signal.addEventListener('abort', onAbort, { once: true })
        announce()
      })
    },
    use(terminalKey) {
      const session = liveSession(terminalKey)
      if (!session) return false
      session.lastUsedAt = clock.now()
      return true
    },
    endAll,
    handlers: {
      'cli.requests': () => [...pending.values()].map((entry) => entry.request),
      'cli.answer': ({ requestId, approve }) => {
        if (!settle(requestId, approve ? 'approved' : 'denied')) {
          throw notFoundError('cli_request', requestId, 'That command-line request is no longer waiting.')
        }
        return { approved: approve }
      },
    },
  }
}

/** The refusal a CLI gets when its session ended or was never approved. */
export const cliSessionRefused = (message: string) => new AppError('AUTHENTICATION', { message })
