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
  /** How far ahead a token's expiry counts as "expiring soon" (badges, filters, Health). */
  expiringSoonDays: number
}

export const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 15,
  lockOnSuspend: true,
  clipboardClearSeconds: 30,
  revealHideSeconds: 20,
  // KeePassXC's default look-ahead for expiring entries.
  expiringSoonDays: 3,
}

export type NumberSettingKey = Exclude<keyof Settings, 'lockOnSuspend'>

/** A number setting as a person sees it: its label, unit and range, and what 0 means when it means something. */
export interface NumberSetting {
  key: NumberSettingKey
  label: string
  unit: 'minutes' | 'seconds' | 'days'
  min: number
  max: number
  zeroMeans?: string
}

/** Declared once: the schema's messages and the Settings form's labels and hints both come from here. */
export const NUMBER_SETTINGS: readonly NumberSetting[] = [
  {
    key: 'autoLockMinutes',
    label: 'Lock after idle',
    unit: 'minutes',
    min: 0,
    max: 24 * 60,
    zeroMeans: 'never locks on idle',
  },
  { key: 'revealHideSeconds', label: 'Hide revealed values after', unit: 'seconds', min: 3, max: 600 },
  {
    key: 'clipboardClearSeconds',
    label: 'Clear the clipboard after',
    unit: 'seconds',
    min: 0,
    max: 600,
    zeroMeans: 'never clears',
  },
  { key: 'expiringSoonDays', label: 'Warn about token expiry', unit: 'days', min: 1, max: 30 },
]

/** "From 0 to 1440 minutes; 0 never locks on idle." */
export function numberSettingRange(setting: NumberSetting): string {
  const zero = setting.zeroMeans ? `; 0 ${setting.zeroMeans}` : ''
  return `From ${setting.min} to ${setting.max} ${setting.unit}${zero}.`
}

/** Every way a number setting can be wrong gets the same sentence: the field, its unit and its range. */
function numberSetting(setting: NumberSetting) {
  const zero = setting.zeroMeans ? ` (0 ${setting.zeroMeans})` : ''
  const error = `${setting.label} must be a whole number of ${setting.unit} from ${setting.min} to ${setting.max}${zero}.`
  return z.number({ error }).int({ error }).min(setting.min, { error }).max(setting.max, { error })
}

const settingOf = (key: NumberSettingKey) => numberSetting(NUMBER_SETTINGS.find((s) => s.key === key)!)

export const settingsPatchSchema = z
  .object({
    autoLockMinutes: settingOf('autoLockMinutes'),
    lockOnSuspend: z.boolean({ error: 'Lock when the system sleeps must be on or off (true or false).' }),
    clipboardClearSeconds: settingOf('clipboardClearSeconds'),
    revealHideSeconds: settingOf('revealHideSeconds'),
    expiringSoonDays: settingOf('expiringSoonDays'),
  })
  .partial()
  .strict()

export const settingsProcedures = {
  'settings.get': procedure(z.object({}).strict()).returns<Settings>(),
  'settings.set': procedure(settingsPatchSchema).returns<Settings>(),
}
