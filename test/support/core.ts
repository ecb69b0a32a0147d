import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, type LatchkeyCore } from '../../src/main/core'
import { silentLogger } from '../../src/main/platform/logger'
import { createUnavailableKeeper } from '../../src/main/platform/unavailable-keeper'

export interface TestCore {
  core: LatchkeyCore
  dataDir: string
  dispose(): Promise<void>
}

/** A real core on a fresh temp data dir, as a host would build it. */
export function createTestCore(overrides: { dataDir?: string } = {}): TestCore {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-test-'))
  const core = createCore({
    identity: { name: 'Latchkey', version: '0.0.0-test', host: 'browser' },
    dataDir,
    logger: silentLogger,
    secretKeeper: createUnavailableKeeper('Tests run without a keychain.'),
    openExternal: () => Promise.reject(new Error('Tests open no browser.')),
  })
  return {
    core,
    dataDir,
    async dispose() {
      await core.close()
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
