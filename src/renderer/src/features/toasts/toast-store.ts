import { create } from 'zustand'

export interface Toast {
  id: number
  message: string
  tone: 'info' | 'error'
  /** How many times this same message arrived while it was on screen ("Copied." ×3). */
  count: number
}

interface ToastStore {
  /** Newest first. */
  toasts: Toast[]
  show(message: string, tone?: Toast['tone']): void
  dismiss(id: number): void
  /** Everything goes: on lock, and when the unlocked screen appears again. */
  clear(): void
}

/** At most this many are drawn; the rest are counted ("+2 more") so they never cover the screen. */
export const VISIBLE_TOASTS = 3
/** Older ones beyond this are dropped outright: nobody reads the twentieth notification. */
const KEPT_TOASTS = 20
const TOAST_MS = { info: 5000, error: 8000 }
let nextId = 1
const timers = new Map<number, ReturnType<typeof setTimeout>>()

function stopTimer(id: number): void {
  clearTimeout(timers.get(id))
  timers.delete(id)
}

export const useToastStore = create<ToastStore>()((set, get) => {
  function schedule(id: number, tone: Toast['tone']): void {
    stopTimer(id)
    timers.set(
      id,
      setTimeout(() => get().dismiss(id), TOAST_MS[tone]),
    )
  }

  return {
    toasts: [],
    show: (message, tone = 'info') => {
      const same = get().toasts.find((t) => t.message === message && t.tone === tone)
      // A repeat is the same news: count it and bring it to the front rather than stack a copy.
      const toast: Toast = same
        ? { ...same, count: same.count + 1 }
        : { id: nextId++, message, tone, count: 1 }
      const rest = get().toasts.filter((t) => t.id !== toast.id)
      for (const dropped of rest.slice(KEPT_TOASTS - 1)) stopTimer(dropped.id)
      set({ toasts: [toast, ...rest.slice(0, KEPT_TOASTS - 1)] })
      schedule(toast.id, tone)
    },
    dismiss: (id) => {
      stopTimer(id)
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
    },
    clear: () => {
      for (const id of timers.keys()) stopTimer(id)
      set({ toasts: [] })
    },
  }
})

/** For actions outside components (stores, timers). */
export const toast = (message: string, tone?: Toast['tone']) => useToastStore.getState().show(message, tone)
