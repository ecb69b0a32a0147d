import { useEffect } from 'react'
import { api } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'

const REPORT_EVERY_MS = 30_000

/** Idle auto-lock measures the person: report keys and pointer use to main, at most every 30 s. */
export function useActivityReporter(): void {
  useEffect(() => {
    let last = 0
    const report = () => {
      const now = Date.now()
      if (now - last < REPORT_EVERY_MS) return
      last = now
      api().vault.touch().catch(handleLockedError)
    }
    const events = ['keydown', 'pointerdown', 'wheel'] as const
    for (const name of events) window.addEventListener(name, report, { passive: true })
    return () => {
      for (const name of events) window.removeEventListener(name, report)
    }
  }, [])
}
