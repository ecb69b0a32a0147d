import { homedir } from 'node:os'
import { resolve } from 'node:path'
import type { SecretKeeper } from '../adapters/secret-keeper'
import { defaultDataDir } from '../platform/paths'
import type { VaultKdfPolicy } from '../vault/vault-manager'
import { openClient } from './client/open-client'
import type { VaultClient } from './client/vault-client'

/** What every command gets: its streams, the environment, and the vault through whoever holds it. */
export interface CliContext {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WriteStream
  stdin: NodeJS.ReadableStream
  env: NodeJS.ProcessEnv
  /** Runs `work` with the vault open (and unlocked unless `unlock` is false), then closes it. */
  withVault<T>(command: string, work: (client: VaultClient) => Promise<T>, unlock?: boolean): Promise<T>
  /** Everything on stdin, as bytes: secrets are kept exactly as given. */
  readStdin(): Promise<Buffer>
  /** A note for a person: stderr, only on a terminal. */
  say(line: string): void
}

export interface CliDependencies {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WriteStream
  stdin: NodeJS.ReadableStream
  env: NodeJS.ProcessEnv
  /** The OS keychain, built only when this process opens the vault itself. */
  secretKeeper: () => Promise<SecretKeeper>
  /** Test-only weak scrypt, passed by test/cli's own entry; the product's entry has no way to set it. */
  vaultKdf?: VaultKdfPolicy
}

/**
 * Commands that change no user data (they append audit entries, as every unlock and reveal does).
 * Opening the vault themselves, they skip the whole-file consistency check (store.ts says what is
 * still checked); the app's open and every command that writes user data keep it.
 */
const READS_ONLY = new Set([
  'status',
  'list',
  'get',
  'reveal',
  'owners',
  'policies list',
  'policies resolve',
  'audit',
  'run',
  'export',
])

export function createContext(deps: CliDependencies, dataDirOption: () => string | undefined): CliContext {
  const say = (line: string) => {
    if (deps.stderr.isTTY) deps.stderr.write(`${line}\n`)
  }
  return {
    stdout: deps.stdout,
    stderr: deps.stderr,
    // Read through, not copied: the entry's process.stdin is built on first use (a few ms).
    get stdin() {
      return deps.stdin
    },
    env: deps.env,
    say,
    async withVault(command, work, unlock = true) {
      const option = dataDirOption()
      const dataDir = resolve(
        option ?? defaultDataDir({ platform: process.platform, env: deps.env, home: homedir() }),
      )
      const client = await openClient({
        dataDir,
        env: deps.env,
        command: `latchkey ${command}`,
        unlock,
        consistencyCheck: !READS_ONLY.has(command),
        secretKeeper: deps.secretKeeper,
        vaultKdf: deps.vaultKdf,
        say,
      })
      try {
        return await work(client)
      } finally {
        await client.close()
      }
    },
    async readStdin() {
      const chunks: Buffer[] = []
      for await (const chunk of deps.stdin) chunks.push(Buffer.from(chunk as Buffer))
      return Buffer.concat(chunks)
    },
  }
}
