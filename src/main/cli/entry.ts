import { runCli } from './program'

// The `latchkey` bin: bundled by scripts/build-cli.mjs to out/cli/latchkey.cjs and run by plain Node.
// A reader that stops early (`latchkey list | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
})

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // A getter: Node builds process.stdin on first access, which only commands that read it need.
  get stdin() {
    return process.stdin
  },
  env: process.env,
  secretKeeper: async () => (await import('../platform/keyring-keeper')).createKeyringKeeper(),
}).then((code) => {
  process.exitCode = code
  // Let stdout drain (a large --json list on a pipe), then go: nothing else may keep the process up.
  process.stdout.write('', () => process.exit(code))
})
