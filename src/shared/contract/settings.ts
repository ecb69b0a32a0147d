import { z } from 'zod'
import { procedure } from './define'

export interface Settings {
  /** 0 turns idle auto-lock off. */
  autoLockMinutes: number
  lockOnSuspend: boolean
  /** How long a copied secret stays on the clipboard; 0 never clears. */
  clipboardClearSeconds: number
  /** How long a revealed value stays visible. */
  revealHideSeconds: number
}

export const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 15,
  lockOnSuspend: true,
  clipboardClearSeconds: 30,
  revealHideSeconds: 20,
}

export const settingsPatchSchema = z
  .object({
    autoLockMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    lockOnSuspend: z.boolean(),
    clipboardClearSeconds: z.number().int().min(0).max(600),
    revealHideSeconds: z.number().int().min(3).max(600),
  })
  .partial()
  .strict()

export const settingsProcedures = {
  'settings.get': procedure(z.object({}).strict()).returns<Settings>(),
  'settings.set': procedure(settingsPatchSchema).returns<Settings>(),
}
