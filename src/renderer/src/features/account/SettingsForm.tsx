import { useEffect, useState, type FormEvent } from 'react'
import {
  NUMBER_SETTINGS,
  numberSettingRange,
  settingsPatchSchema,
  type NumberSettingKey,
  type Settings,
} from '../../../../shared/contract/settings'
import { issuesByField, issuesFor } from '../../../../shared/contract/human-issues'
import { TextField } from '../../components/TextField'
import { useSettingsStore } from '../../stores/settings-store'
import { useVaultStore, vaultSelectors } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { KeychainSetting } from '../settings/KeychainSetting'

type Draft = Record<NumberSettingKey, string> & { lockOnSuspend: boolean }

// Every number setting the contract lists, so a new one appears here without an edit.
const draftOf = (settings: Settings): Draft =>
  ({
    ...Object.fromEntries(NUMBER_SETTINGS.map(({ key }) => [key, String(settings[key])])),
    lockOnSuspend: settings.lockOnSuspend,
  }) as Draft

/**
 * What the person typed, as the schema will see it: an empty box is null (so it reads "must be a
 * whole number … from 0 to 1440", not a silent 0), a number is a number, and anything else stays
 * text so the same sentence names it.
 */
function numberOf(text: string): number | string | null {
  const trimmed = text.trim()
  if (trimmed === '') return null
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed
}

function patchOf(draft: Draft): Record<string, unknown> {
  const patch: Record<string, unknown> = { lockOnSuspend: draft.lockOnSuspend }
  for (const { key } of NUMBER_SETTINGS) patch[key] = numberOf(draft[key])
  return patch
}

/**
 * Auto-lock, lock on suspend, reveal and clipboard timers, and keychain unlock: one form, one save.
 * The same rules as main check it first, so every mistake is shown beside its field at once.
 */
export function SettingsForm() {
  const settings = useSettingsStore((s) => s.settings)
  const save = useSettingsStore((s) => s.save)
  const error = useSettingsStore((s) => s.error)
  const keychain = useVaultStore(vaultSelectors.keychain)
  const setKeychainUnlock = useVaultStore((s) => s.setKeychainUnlock)
  const [keychainUnlock, setKeychainDraft] = useState(keychain.enrolled)
  const [keychainError, setKeychainError] = useState<string | null>(null)
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({})
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings))
  const [touched, setTouched] = useState(false)

  // Settings answered after the form opened (or changed elsewhere) show, unless the person is typing.
  useEffect(() => {
    if (!touched) setDraft(draftOf(settings))
  }, [settings, touched])

  const edit = (patch: Partial<Draft>) => {
    setTouched(true)
    setDraft((d) => ({ ...d, ...patch }))
  }

  // Main's refusal, if it still refuses what the form let through, lands beside the same fields.
  const serverErrors = issuesByField(error?.params.issues ?? [])
  const fieldErrors = { ...serverErrors, ...localErrors }
  const unplaced = error && !error.params.issues?.length ? error.params.message : null
  const errorCount = Object.keys(fieldErrors).length
  const summary =
    unplaced ??
    keychainError ??
    (errorCount > 0
      ? `${errorCount === 1 ? 'One setting needs' : `${errorCount} settings need`} correcting; each says how above.`
      : null)

  async function submit(event: FormEvent) {
    event.preventDefault()
    const patch = patchOf(draft)
    const issues = issuesFor(settingsPatchSchema, patch)
    setLocalErrors(issuesByField(issues))
    if (issues.length > 0) return
    const ok = await save(patch as Partial<Settings>)
    if (!ok) return
    setTouched(false)
    if (keychainUnlock !== keychain.enrolled) {
      const refusal = await setKeychainUnlock(keychainUnlock)
      setKeychainError(refusal?.params.message ?? null)
      if (refusal) return
    }
    toast('Settings saved.')
  }

  return (
    <form onSubmit={submit} className="form account-section" aria-labelledby="settings-title" noValidate>
      <h3 id="settings-title">Settings</h3>
      {NUMBER_SETTINGS.map((field) => (
        <TextField
          key={field.key}
          label={`${field.label} (${field.unit})`}
          hint={numberSettingRange(field)}
          inputMode="numeric"
          value={draft[field.key]}
          onChange={(value) => edit({ [field.key]: value })}
          error={fieldErrors[field.key]}
        />
      ))}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.lockOnSuspend}
          onChange={(e) => edit({ lockOnSuspend: e.target.checked })}
        />
        Lock when the system sleeps or the screen locks
      </label>
      <KeychainSetting
        keychain={keychain}
        checked={keychainUnlock}
        onChange={(checked) => {
          setKeychainError(null)
          setKeychainDraft(checked)
        }}
      />
      {summary ? (
        <div className="form-error" role="alert">
          <p>{summary}</p>
        </div>
      ) : null}
      <div className="button-row">
        <button type="submit" className="primary">
          Save settings
        </button>
      </div>
    </form>
  )
}
