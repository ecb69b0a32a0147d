import type { ServerDialect } from './store'

/**
 * - latency: wait `ms` before handling (adds to any other fault)
 * - status: answer `status` (default 500) without handling the request
 * - rate-limit: 429 with Retry-After `retryAfterSeconds` (default 1), without handling
 * - reset: handle the request (a write is applied), then cut the socket halfway through the body
 *   (an answer without a body, such as 204, arrives whole)
 * - lost-response: handle the request (a write is applied), then close the socket before a byte goes out
 * - hang: never answer (the socket stays open until the client gives up or the server closes)
 */
export type FaultKind = 'latency' | 'status' | 'rate-limit' | 'reset' | 'lost-response' | 'hang'

export interface FaultRule {
  kind: FaultKind
  /** Which requests it hits; all when absent. `path` is a substring of the path, or a pattern. */
  match?: { method?: string; path?: string | RegExp; dialect?: ServerDialect }
  /** How many matching requests it hits before it is spent; every one when absent. */
  times?: number
  ms?: number
  status?: number
  retryAfterSeconds?: number
}

export interface RequestInfo {
  method: string
  path: string
  dialect: ServerDialect | null
}

export interface FaultPlan {
  latencyMs: number
  /** The one fault that decides the answer, if any. */
  outcome: Exclude<FaultKind, 'latency'> | null
  rule: FaultRule | null
}

function matches(rule: FaultRule, request: RequestInfo): boolean {
  const match = rule.match
  if (!match) return true
  if (match.method !== undefined && match.method.toUpperCase() !== request.method.toUpperCase()) return false
  if (match.dialect !== undefined && match.dialect !== request.dialect) return false
  if (match.path !== undefined) {
    if (
      typeof match.path === 'string' ? !request.path.includes(match.path) : !match.path.test(request.path)
    ) {
      return false
    }
  }
  return true
}

/** The faults switched on for a test; each matching request uses up one of a rule's `times`. */
export function createFaults() {
  let rules: FaultRule[] = []
  const remaining = new Map<FaultRule, number>()

  function spend(rule: FaultRule): void {
    const left = remaining.get(rule)
    if (left === undefined) return
    if (left <= 1) {
      rules = rules.filter((candidate) => candidate !== rule)
      remaining.delete(rule)
    } else {
      remaining.set(rule, left - 1)
    }
  }

  return {
    add(rule: FaultRule): void {
      rules.push(rule)
      if (rule.times !== undefined) remaining.set(rule, rule.times)
    },
    clear(): void {
      rules = []
      remaining.clear()
    },
    active(): readonly FaultRule[] {
      return rules
    },
    plan(request: RequestInfo): FaultPlan {
      let latencyMs = 0
      let outcome: FaultPlan['outcome'] = null
      let chosen: FaultRule | null = null
      for (const rule of [...rules]) {
        if (!matches(rule, request)) continue
        if (rule.kind === 'latency') {
          latencyMs += rule.ms ?? 0
          spend(rule)
        } else if (outcome === null) {
          outcome = rule.kind
          chosen = rule
          spend(rule)
        }
      }
      return { latencyMs, outcome, rule: chosen }
    },
  }
}

export type Faults = ReturnType<typeof createFaults>
