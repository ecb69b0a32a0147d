import { useEffect } from 'react'
import { selectionSelectors, useSelectionStore } from '../../stores/selection-store'
import { useToastStore, VISIBLE_TOASTS } from './toast-store'

/**
 * A polite live region: screen readers announce each completed action without stealing focus. It
 * lives in the unlocked screen only, so nothing from a session shows on the lock screen, and the
 * store is emptied when that screen comes and goes. It sits beside the detail panel, never over it.
 */
export function Toaster() {
  const toasts = useToastStore((s) => s.toasts)
  const dismiss = useToastStore((s) => s.dismiss)
  const clear = useToastStore((s) => s.clear)
  const besideDetail = useSelectionStore(selectionSelectors.openId) !== null

  useEffect(() => {
    clear()
    return clear
  }, [clear])

  const visible = toasts.slice(0, VISIBLE_TOASTS)
  const hidden = toasts.length - visible.length
  return (
    <div
      className={besideDetail ? 'toaster beside-detail' : 'toaster'}
      role="region"
      aria-label="Notifications"
    >
      <div role="status" aria-live="polite">
        {visible.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`}>
            <span>{t.message}</span>
            {t.count > 1 ? (
              <span className="toast-count" aria-label={`${t.count} times`}>
                ×{t.count}
              </span>
            ) : null}
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss notification"
              onClick={() => dismiss(t.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
      {hidden > 0 ? (
        <div className="toast-more">
          <span>+{hidden} more</span>
          <button type="button" className="link-button" onClick={clear}>
            Dismiss all
          </button>
        </div>
      ) : null}
    </div>
  )
}
