import { z } from 'zod'
import { event, procedure } from './define'

/**
 * A `latchkey` command line asking to use the app's unlocked vault. The app shows it to the person,
 * who approves or denies it (1Password's app-integration model, REFERENCE.md §3.3).
 */
export interface CliSessionRequest {
  requestId: string
  /**
   * The asking process as it describes itself. The channel's file permissions vouch only for its
   * user (see src/main/hosts/cli-channel/), so this is what the person judges, not proof.
   */
  pid: number
  command: string
  /** The terminal it runs in ("/dev/pts/3"), when it has one. */
  terminal: string | null
  requestedAt: string
}

/** An approved terminal's session ends after this long without a call. */
export const CLI_SESSION_IDLE_MS = 10 * 60 * 1000
/** …and after this long whatever its use; locking the app ends every session at once. */
export const CLI_SESSION_MAX_MS = 12 * 60 * 60 * 1000
/** A request nobody answers is denied after this long, so a CLI never waits forever. */
export const CLI_REQUEST_TIMEOUT_MS = 2 * 60 * 1000

export const cliProcedures = {
  /** The requests waiting for an answer, oldest first. */
  'cli.requests': procedure(z.object({}).strict()).returns<CliSessionRequest[]>(),
  'cli.answer': procedure(
    z.object({ requestId: z.string().min(1).max(100), approve: z.boolean() }).strict(),
  ).returns<{ approved: boolean }>(),
}

export const cliEvents = {
  /** A request arrived, was answered, timed out or its CLI went away: ask cli.requests again. */
  'cli.requestsChanged': event<{ pending: number }>(),
}
