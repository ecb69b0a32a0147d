import { create } from 'zustand'

export interface Toast {
  id: number
  message: string
  tone: 'info' | 'error'
}

interface ToastStore {
  toasts: Toast[]
  show(message: string, tone?: Toast['tone']): void
  dismiss(id: number): void
}

const TOAST_MS = 5000
let nextId = 1

export const useToastStore = create<ToastStore>()((set, get) => ({
  toasts: [],
  show: (message, tone = 'info') => {
    const id = nextId++
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, message, tone }] }))
    setTimeout(() => get().dismiss(id), TOAST_MS)
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}))

/** For actions outside components (stores, timers). */
export const toast = (message: string, tone?: Toast['tone']) => useToastStore.getState().show(message, tone)
