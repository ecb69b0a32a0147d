import { z } from 'zod'
import { procedure } from './define'

// What needs attention across the whole vault, computed in main over the health columns (never
// by the renderer scanning rows, and never by decrypting a value).

/** A connection as the Health view names it. */
export interface HealthConnectionRef {
  id: string
  displayName: string
  pieceName: string
  externalId: string
}

export interface HealthExpiry extends HealthConnectionRef {
  expiresAt: string
  /** Whether main can renew it without the person (false: an expired token needs a sign-in). */
  canRefresh: boolean
}

export interface HealthRefreshFailure extends HealthConnectionRef {
  reason: string | null
  attempts: number
  failedAt: string
  expiresAt: string | null
}

export interface HealthMissing extends HealthConnectionRef {
  /** The flows that reference the placeholder, active ones first; at most 50 per connection. */
  flows: { flowId: string; flowName: string | null; active: boolean }[]
  flowCount: number
}

/** Sync, when the vault has it; `available: false` says so instead of showing zeros. */
export type HealthSync =
  | { available: false; reason: string }
  | {
      available: true
      remotes: number
      pending: number
      failed: number
      conflicts: { connectionId: string; displayName: string; remoteName: string }[]
    }

export interface HealthSummary {
  /** main's clock when this was computed, ISO. */
  now: string
  /** The settings' look-ahead for "expiring soon", in days. */
  expiringSoonDays: number
  errors: (HealthConnectionRef & { reason: string | null })[]
  missing: HealthMissing[]
  expired: HealthExpiry[]
  expiring: HealthExpiry[]
  refreshFailures: HealthRefreshFailure[]
  sync: HealthSync
  /** Expiries per day for the next 30 days, day 0 is today (UTC); expired tokens are not in it. */
  timeline: { day: string; count: number }[]
  /** How many things need attention: the sidebar badge. Each connection counts once. */
  attention: number
  /** Each list holds at most this many; the counts say how many there are. */
  listLimit: number
  counts: { errors: number; missing: number; expired: number; expiring: number; refreshFailures: number }
}

export const HEALTH_TIMELINE_DAYS = 30

export const healthProcedures = {
  'health.summary': procedure(z.object({}).strict()).returns<HealthSummary>(),
}
