import { afterAll, beforeAll, describe } from 'vitest'
import {
  INSTALL_HINT,
  missingSecretServiceTools,
  startPrivateSecretService,
  type PrivateSecretService,
} from '../../support/secret-service'

/**
 * `describe`, with a private Secret Service started before its tests and stopped after them, and
 * DBUS_SESSION_BUS_ADDRESS pointing at it meanwhile (this test file's process only). Without the
 * daemons the suite is skipped with the packages to install, except under CI, where it fails:
 * CI must really run it.
 */
export function describeWithSecretService(
  title: string,
  body: (service: () => PrivateSecretService) => void,
): void {
  const missing = missingSecretServiceTools()
  if (missing.length > 0 && !process.env.CI) {
    console.warn(
      `Skipping "${title}": ${missing.join(' and ')} not found. Install a real Secret Service with: ${INSTALL_HINT}`,
    )
    describe.skip(`${title} (needs ${INSTALL_HINT})`, () => body(() => undefined as never))
    return
  }
  describe(title, () => {
    let service: PrivateSecretService | null = null
    beforeAll(async () => {
      if (missing.length > 0)
        throw new Error(
          `CI must run the keychain tests, but ${missing.join(' and ')} not found. Install them with: ${INSTALL_HINT}`,
        )
      service = await startPrivateSecretService()
    })
    afterAll(async () => {
      await service?.stop()
    })
    body(() => {
      if (!service) throw new Error('The private Secret Service did not start.')
      return service
    })
  })
}
