import { runCli } from '../../../src/main/cli/program'
import { createUnavailableKeeper } from '../../../src/main/platform/unavailable-keeper'
import { TEST_KDF } from '../../support/vault'

// The same program as the `latchkey` bin, with the tests’ weak KDF and no keychain: only this
// file passes them, so no flag or variable of the product can.
// A reader that stops early (`latchkey list | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
})

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  secretKeeper: async () => createUnavailableKeeper('Tests run without a keychain.'),
  vaultKdf: TEST_KDF,
}).then((code) => {
  process.exitCode = code
  process.stdout.write('', () => process.exit(code))
})
