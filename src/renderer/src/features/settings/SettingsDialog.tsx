import { useState, type FormEvent } from 'react'
import type { Settings } from '../../../../shared/contract'
import { FormFooter } from '../../components/FormFooter'
import { Modal } from '../../components/Modal'
import { TextField } from '../../components/TextField'
import { useSettingsStore } from '../../stores/settings-store'
import { useVaultStore, vaultSelectors } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { KeychainSetting } from './KeychainSetting'

const NUMBER_FIELDS: { key: Exclude<keyof Settings, 'lockOnSuspend'>; label: string; hint: string }[] = [
  { key: 'autoLockMinutes', label: 'Lock after idle (minutes)', hint: '0 never locks on idle.' },
  { key: 'revealHideSeconds', label: 'Hide revealed values after (seconds)', hint: 'From 3 to 600.' },
  { key: 'clipboardClearSeconds', label: 'Clear the clipboard after (seconds)', hint: '0 never clears.' },
]

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const settings = useSettingsStore((s) => s.settings)
  const save = useSettingsStore((s) => s.save)
  const error = useSettingsStore((s) => s.error)
  const keychain = useVaultStore(vaultSelectors.keychain)
  const setKeychainUnlock = useVaultStore((s) => s.setKeychainUnlock)
  const [keychainUnlock, setKeychainDraft] = useState(keychain.enrolled)
  const [keychainError, setKeychainError] = useState<string | null>(null)
  const [draft, setDraft] = useState(() => ({
    autoLockMinutes: String(settings.autoLockMinutes),
    revealHideSeconds: String(settings.revealHideSeconds),
    clipboardClearSeconds: String(settings.clipboardClearSeconds),
    lockOnSuspend: settings.lockOnSuspend,
  }))

  async function submit(event: FormEvent) {
    event.preventDefault()
    const ok = await save({
      autoLockMinutes: Number(draft.autoLockMinutes),
      revealHideSeconds: Number(draft.revealHideSeconds),
      clipboardClearSeconds: Number(draft.clipboardClearSeconds),
      lockOnSuspend: draft.lockOnSuspend,
    })
    if (!ok) return
    if (keychainUnlock !== keychain.enrolled) {
      const refusal = await setKeychainUnlock(keychainUnlock)
      setKeychainError(refusal?.params.message ?? null)
      if (refusal) return
    }
    toast('Settings saved.')
    onClose()
  }

  return (
    <Modal open onClose={onClose} title="Settings">
      <form onSubmit={submit} className="form" noValidate>
        {NUMBER_FIELDS.map((field) => (
          <TextField
            key={field.key}
            label={field.label}
            hint={field.hint}
            inputMode="numeric"
            value={draft[field.key]}
            onChange={(value) => setDraft((d) => ({ ...d, [field.key]: value }))}
            error={error?.params.issues?.find((issue) => issue.path === field.key)?.message}
          />
        ))}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={draft.lockOnSuspend}
            onChange={(e) => setDraft((d) => ({ ...d, lockOnSuspend: e.target.checked }))}
          />
          Lock when the system sleeps or the screen locks
        </label>
        <KeychainSetting keychain={keychain} checked={keychainUnlock} onChange={setKeychainDraft} />
        <FormFooter
          error={error?.params.message ?? keychainError ?? undefined}
          onCancel={onClose}
          submitLabel="Save settings"
        />
      </form>
    </Modal>
  )
}
