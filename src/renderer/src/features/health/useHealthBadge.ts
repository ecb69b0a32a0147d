import { useEffect } from 'react'
import { afterFirstPage } from '../../stores/first-page'
import { useSettingsStore } from '../../stores/settings-store'
import { useHealthStore } from './health-store'

const REFRESH_MS = 60_000

/**
 * The sidebar's count for Health, and what keeps the summary current while the vault is unlocked:
 * the sidebar is on screen for as long as the shell is, so this is where the subscription lives.
 */
export function useHealthBadge(): number | null {
  useEffect(() => {
    const { load, reset } = useHealthStore.getState()
    // A summary is a pass over the whole vault in main: after the first rows, not before them.
    const cancelFirst = afterFirstPage(() => void load())
    let pending: ReturnType<typeof setTimeout> | null = null
    // A batch import announces once, a refresher many times a second: read again at most every 2 s
    // (a summary is one scan of the vault, ~0.3 s at 100k connections).
    const soon = () => {
      pending ??= setTimeout(() => {
        pending = null
        void useHealthStore.getState().load()
      }, 2000)
    }
    const offChanged = window.latchkey.on('connections.changed', soon)
    const timer = setInterval(soon, REFRESH_MS)
    // The look-ahead is a setting: a new one changes what counts as expiring.
    const offSettings = useSettingsStore.subscribe((now, before) => {
      if (now.settings.expiringSoonDays !== before.settings.expiringSoonDays) soon()
    })
    return () => {
      cancelFirst()
      offChanged()
      offSettings()
      clearInterval(timer)
      if (pending) clearTimeout(pending)
      reset()
    }
  }, [])
  return useHealthStore((s) => s.summary?.attention ?? null)
}
