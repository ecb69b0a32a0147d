import { ChangePasswordForm } from './ChangePasswordForm'
import { SettingsForm } from './SettingsForm'

/** The master password, how and when the vault locks, and how long secrets stay visible. */
export function AccountView() {
  return (
    <section className="view account-view" aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      <div className="account-grid">
        <ChangePasswordForm />
        <SettingsForm />
      </div>
    </section>
  )
}
