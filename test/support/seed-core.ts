import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../../src/main/adapters/clock'
import { PRODUCT_KDF_POLICY } from '../../src/main/vault/vault-manager'
import { createVaultTestCore, type VaultTestCore } from './vault'

/** Passes the product's strength rule. */
export const SEED_PASSWORD = 'correct horse battery staple bench'

/** A wall clock the seed can push forward, so rows get spread-out created/updated times. */
export interface SettableClock extends Clock {
  set(ms: number): void
}

export function createSettableClock(startMs: number): SettableClock {
  let now = startMs
  return {
    now: () => now,
    set(ms) {
      now = ms
    },
    // Auto-lock timers never fire while seeding or measuring: they would lock the vault mid-way.
    setTimeout: () => null,
    clearTimeout: () => {},
  }
}

export interface SeedCore extends VaultTestCore {
  clock: SettableClock
  /** Closes the core and keeps the data dir: the seeded vault is what the caller wants. */
  close(): Promise<void>
}

/**
 * A real core on a new data dir with a vault created under the product's own KDF, so that browser
 * mode (which refuses weaker parameters) can open what it seeds.
 */
export async function createSeedCore(label: string, startMs = Date.UTC(2025, 0, 1)): Promise<SeedCore> {
  const clock = createSettableClock(startMs)
  const base = createVaultTestCore({
    dataDir: mkdtempSync(join(tmpdir(), `latchkey-${label}-`)),
    clock,
    dependencies: { vaultKdf: PRODUCT_KDF_POLICY },
  })
  await base.call('vault.create', { password: SEED_PASSWORD })
  return { ...base, clock, close: () => base.core.close() }
}
