import { useShallow } from 'zustand/react/shallow'
import { agoText } from '../connections/format'
import { useNow } from '../connections/useNow'
import { useNavigationStore } from '../navigation/navigation-store'
import { useSyncStore } from './sync-store'
import { overallProgress, summarize, type SyncSummary } from './sync-summary'
import { failureShort } from './failure-words'
import { progressText } from './progress-text'
import { useSyncEvents } from './use-sync-events'
import { SYNC_VIEW } from './view-id'
import './sync.css'

const plural = (count: number, one: string, many: string) =>
  `${count.toLocaleString()} ${count === 1 ? one : many}`

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

function idleText(summary: SyncSummary, now: number): string {
  const waitingCount = summary.pending - summary.failed
  const waiting =
    (waitingCount > 0 ? `${plural(waitingCount, 'change', 'changes')} waiting · ` : '') +
    (summary.failed > 0 ? `${plural(summary.failed, 'change', 'changes')} refused · ` : '')
  if (summary.neverSynced) return `${waiting}not synced yet`
  return `${waiting}synced ${agoText(summary.lastSuccessAt!, now)}`
}

/**
 * The header's sync line: how many changes wait, when sync last succeeded, the last error, and
 * "Sync now"; while a sync runs, its progress and Cancel. The line itself opens the Sync view.
 */
export function SyncIndicator() {
  useSyncEvents()
  const now = useNow(15_000)
  const statuses = useSyncStore((s) => s.statuses)
  const progress = useSyncStore((s) => s.progress)
  const { run, cancel, error } = useSyncStore(
    useShallow((s) => ({ run: s.run, cancel: s.cancel, error: s.error })),
  )
  const go = useNavigationStore((s) => s.go)
  if (statuses.length === 0) return null
  const summary = summarize(statuses)
  const overall = overallProgress(progress)
  const first = Object.values(progress)[0]
  const from = summary.error && summary.remotes > 1 ? `${summary.error.remoteName}: ` : ''
  // The header has room for a few words; the whole sentence is the tooltip and in the Sync view.
  const problem = summary.error ? `${from}${summary.error.message}` : error?.params.message
  const shortProblem = summary.error
    ? `${from}${failureShort(summary.error.failure)}`
    : 'open Sync for details'
  return (
    <div className="sync-indicator" role="group" aria-label="Sync">
      <button
        type="button"
        className={problem ? 'sync-line ghost sync-line-error' : 'sync-line ghost'}
        onClick={() => go(SYNC_VIEW)}
        title={problem ?? 'Open the Sync view'}
      >
        <span role="status" className="sync-line-text">
          {summary.running
            ? progressText(first, overall.done, overall.total)
            : sentence(`${problem ? `Sync failed: ${shortProblem} · ` : ''}${idleText(summary, now)}`)}
        </span>
        {summary.conflicts > 0 ? (
          <span className="badge badge-warn">{plural(summary.conflicts, 'conflict', 'conflicts')}</span>
        ) : null}
      </button>
      {summary.running ? (
        <>
          <progress
            className="sync-progress"
            aria-label="Sync progress"
            max={overall.total ?? undefined}
            value={overall.total === null ? undefined : overall.done}
          />
          <button type="button" onClick={() => void cancel()}>
            Cancel sync
          </button>
        </>
      ) : (
        <button type="button" onClick={() => void run()}>
          Sync now
        </button>
      )}
    </div>
  )
}
