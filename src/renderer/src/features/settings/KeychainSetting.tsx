import type { KeychainStatus } from '../../../../shared/contract'
import { KeychainUnavailable } from '../unlock/KeychainUnavailable'

interface Props {
  keychain: KeychainStatus
  checked: boolean
  onChange(checked: boolean): void
}

/**
 * "Unlock with the system keychain", switchable after the vault was created. Turning it off is
 * always possible, even with the keychain gone (the entry is then simply dropped from the header);
 * turning it on needs a keychain, and where there is none the reason takes the switch's place.
 */
export function KeychainSetting({ keychain, checked, onChange }: Props) {
  if (!keychain.available && !keychain.enrolled) return <KeychainUnavailable reason={keychain.reason} />
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        Also unlock with the system keychain
      </label>
      {!keychain.available && (
        <KeychainUnavailable reason={keychain.reason} instead="You can still turn it off here." />
      )}
    </>
  )
}
