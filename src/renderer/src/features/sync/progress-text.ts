import type { SyncProgress } from './sync-summary'

/** "Sending changes: 3 of 10", "Receiving connections: 120": what the bar is filling up with. */
export function progressText(progress: SyncProgress | undefined, done: number, total: number | null): string {
  const what = progress?.phase === 'pull' ? 'Receiving connections' : 'Sending changes'
  if (!progress) return 'Syncing…'
  return total === null
    ? `${what}: ${done.toLocaleString()}`
    : `${what}: ${done.toLocaleString()} of ${total.toLocaleString()}`
}
