import { createEventBus, type EventBus } from './api/event-bus'
import { createRouter, type Handlers, type Router } from './api/router'
import { appHandlers, type AppIdentity } from './app/app-handlers'
import { auditHandlers } from './audit/audit-handlers'
import { clipboardHandlers } from './clipboard/clipboard-handlers'
import { createCliSessions, type CliSessions } from './cli/approvals/cli-sessions'
import { connectionHandlers } from './connections/handlers'
import { createListIndexes, type ListIndexes } from './connections/list-index-source'
import { createConnectionsService } from './connections/service'
import { createOAuth } from './oauth/oauth'
import { healthHandlers } from './health/health-handlers'
import { createHealth } from './health/health-summary'
import { createTransfer } from './transfer/transfer'
import { assertRowIntegrity } from './connections/row-integrity'
import { createPoliciesService, policyHandlers } from './policies/policies'
import { createSync } from './sync/sync'
import type { SystemClipboard } from './adapters/clipboard'
import type { Clock } from './adapters/clock'
import type { Fetch } from './adapters/fetch'
import type { Logger } from './adapters/logger'
import type { OpenExternal } from './adapters/open-external'
import type { RandomBytes } from './adapters/random'
import type { SecretKeeper } from './adapters/secret-keeper'
import { systemClock } from './platform/clock'
import { platformFetch } from './platform/fetch'
import { pooledRandomBytes } from './platform/random'
import { watchForSuspend } from './vault/suspend-detector'
import { vaultHandlers } from './vault/vault-handlers'
import type { DeriveKey } from './vault/kdf'
import { createVaultManager, type VaultKdfPolicy, type VaultManager } from './vault/vault-manager'

export interface CoreDependencies {
  identity: AppIdentity
  dataDir: string
  logger: Logger
  /** The desktop host's better-sqlite3 build for Electron's ABI; plain Node uses node_modules' own. */
  sqliteNativeBinding?: string
  clock?: Clock
  /** Defaults to node:crypto's CSPRNG, drawn a pool at a time (platform/random.ts). */
  randomBytes?: RandomBytes
  /**
   * The OS keychain. Each host picks its own (desktop: safeStorage; browser mode: the keyring);
   * the core picks none, so no host's bundle carries another host's keychain.
   */
  secretKeeper: SecretKeeper
  /**
   * Opens a URL in the system browser (OAuth sign-ins); each host applies its own rule. Null: the
   * host has none of its own (browser mode, whose page opens the sign-in in a new tab).
   */
  openExternal: OpenExternal | null
  /** HTTP to authorization servers (OAuth discovery, token requests); defaults to Node's fetch. */
  fetch?: Fetch
  /** Defaults to the product's KDF (Argon2id); tests pass weaker settings only for speed. */
  vaultKdf?: VaultKdfPolicy
  /** A head start on the password KDF (the CLI host); unlock derives itself without one. */
  deriveKey?: DeriveKey
  /**
   * Hosts with real power events (desktop: powerMonitor) call `vault.hostSuspended()` and set this
   * false; elsewhere a wall-clock-jump detector stands in for them.
   */
  detectSuspendByClock?: boolean
  /** The OS clipboard (desktop). Without one, a copied secret is handed to the page to write. */
  clipboard?: SystemClipboard
  /**
   * False for a host that lives for one command (the CLI opening the vault itself): no refresh
   * scheduler and no sync by itself while unlocked. `latchkey run -- a-long-job` must not start
   * refreshing tokens and talking to remotes in the background; `latchkey sync` still syncs.
   */
  backgroundWork?: boolean
  /**
   * False for a CLI command that only reads: the vault file is not checked in full at open (store.ts
   * says what still is). The app and commands that write user data always check.
   */
  consistencyCheckOnOpen?: boolean
  /** The in-memory connections list; tests pass one that catches up differently. */
  listIndexes?: ListIndexes
}

export interface LatchkeyCore {
  router: Router
  events: EventBus
  /** For hosts: lock on suspend or screen lock, and for other domains' handlers via requireSession(). */
  vault: VaultManager
  /** Terminals approved to use the unlocked vault over the CLI channel (hosts/cli-channel). */
  cliSessions: CliSessions
  close(): Promise<void>
}

/**
 * The composition root of everything below the hosts. A host (desktop, browser mode, a test)
 * passes its platform adapters in and binds `router` and `events` to its transport.
 */
export function createCore(dependencies: CoreDependencies): LatchkeyCore {
  const events = createEventBus()
  const clock = dependencies.clock ?? systemClock
  const random = dependencies.randomBytes ?? pooledRandomBytes()
  const vault = createVaultManager({
    dataDir: dependencies.dataDir,
    clock,
    random,
    // Long-term keys: crypto.randomBytes unless a test injects its own source.
    keyRandom: dependencies.randomBytes,
    keeper: dependencies.secretKeeper,
    kdf: dependencies.vaultKdf,
    deriveKey: dependencies.deriveKey,
    consistencyCheck: dependencies.consistencyCheckOnOpen,
    nativeBinding: dependencies.sqliteNativeBinding,
    onStateChanged: (state, reason) => events.emit('vault.stateChanged', { state, reason }),
  })
  const stopSuspendDetector =
    dependencies.detectSuspendByClock === false
      ? () => {}
      : watchForSuspend(clock, () => vault.hostSuspended('suspend'))
  const session = () => vault.requireSession()
  // The connections list kept in memory (ids, names, pieces, dates: plaintext in the vault file
  // too, never a value); it outlives a lock and goes with the database (list-index-source.ts).
  const listIndexes = dependencies.listIndexes ?? createListIndexes()
  const connections = createConnectionsService({
    session,
    clock,
    random,
    listIndexes,
    events,
  })
  // Remotes and the sync engine, which runs by itself while unlocked and stops on lock.
  const sync = createSync({
    session,
    events,
    clock,
    random,
    fetch: dependencies.fetch ?? platformFetch,
    connection: (id) => connections.get(id),
    automatic: dependencies.backgroundWork,
  })
  // Sign-ins, client credentials and the refresh scheduler, which starts on unlock and stops on lock.
  const oauth = createOAuth({
    session,
    connections,
    events,
    clock,
    random,
    fetch: dependencies.fetch ?? platformFetch,
    openExternal: dependencies.openExternal,
    remoteCodeClaim: sync.remoteCodeClaim,
    automatic: dependencies.backgroundWork,
  })
  const cliSessions = createCliSessions({ clock, random, events })
  const handlers: Handlers = {
    ...appHandlers(dependencies.identity),
    ...vaultHandlers(vault),
    ...auditHandlers(vault),
    ...connectionHandlers(connections),
    ...policyHandlers(createPoliciesService({ session, clock, connections })),
    ...clipboardHandlers({ connections, vault, clock, system: dependencies.clipboard }),
    ...oauth.handlers,
    ...cliSessions.handlers,
    ...sync.handlers,
    ...createTransfer({
      vault,
      connections,
      dataDir: dependencies.dataDir,
      clock,
      random,
      kdf: dependencies.vaultKdf,
      appVersion: dependencies.identity.version,
      nativeBinding: dependencies.sqliteNativeBinding,
      assertRowIntegrity,
    }).handlers,
    ...healthHandlers(
      createHealth({
        session,
        clock,
        sync: {
          status: () => sync.handlers['sync.status']({}, { origin: 'system' }),
          conflicts: () => sync.handlers['sync.conflicts']({}, { origin: 'system' }),
        },
      }),
    ),
  }
  const router = createRouter(handlers, {
    onUnexpectedError: (procedure, error) =>
      dependencies.logger.error(`procedure ${procedure} failed`, { error: describeError(error) }),
  })
  return {
    router,
    events,
    vault,
    cliSessions,
    async close() {
      stopSuspendDetector()
      oauth.close()
      sync.close()
      listIndexes.forget()
      vault.close()
    },
  }
}

/** Only an error's class and code go to the log: messages from libraries may quote their input. */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? `${error.name} (${code})` : error.name
  }
  return typeof error
}
