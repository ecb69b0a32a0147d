import { create } from 'zustand'
import type { HealthSummary } from '../../../../shared/contract'
import type { AppError } from '../../../../shared/errors'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'

interface HealthStore {
  summary: HealthSummary | null
  error: AppError | null
  /** Whether this unlock has said "N tokens have expired" yet: once per unlock, as KeePassXC does. */
  announced: boolean
  load(): Promise<void>
  /** Everything goes on lock. */
  reset(): void
}

/** health.summary, read again on every change to the connections and once a minute (tokens expire by time alone). */
export const useHealthStore = create<HealthStore>()((set, get) => ({
  summary: null,
  error: null,
  announced: false,
  load: async () => {
    try {
      const summary = await api().health.summary({})
      set({ summary, error: null })
      if (!get().announced) {
        set({ announced: true })
        announceExpired(summary)
      }
    } catch (failure) {
      handleLockedError(failure)
      set({ error: asAppError(failure) })
    }
  },
  reset: () => set({ summary: null, error: null, announced: false }),
}))

function announceExpired(summary: HealthSummary): void {
  const expired = summary.counts.expired
  if (expired === 0) return
  toast(
    expired === 1
      ? `1 token has expired: ${summary.expired[0]?.displayName ?? 'see Health'}. Open Health to renew it.`
      : `${expired} tokens have expired. Open Health to see them.`,
  )
}
