import type Database from 'better-sqlite3'
import { DEFAULT_SETTINGS, settingsPatchSchema, type Settings } from '../../shared/contract/settings'

/** One row per setting, JSON-encoded; a value this build cannot read falls back to its default. */
export function readSettings(db: Database.Database): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]
  const stored: Record<string, unknown> = {}
  for (const { key, value } of rows) {
    if (!(key in DEFAULT_SETTINGS)) continue
    try {
      stored[key] = JSON.parse(value)
    } catch {
      // an unreadable value keeps the default
    }
  }
  const settings: Settings = { ...DEFAULT_SETTINGS }
  for (const [key, value] of Object.entries(stored)) {
    const parsed = settingsPatchSchema.safeParse({ [key]: value })
    if (parsed.success) Object.assign(settings, parsed.data)
  }
  return settings
}

export function writeSettings(db: Database.Database, patch: Partial<Settings>): void {
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) upsert.run(key, JSON.stringify(value))
  }
}
