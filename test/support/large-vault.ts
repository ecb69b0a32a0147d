import type { AppConnection } from '../../src/shared/contract'
import { DEFAULT_DATASET, seedDataset } from './dataset'
import { createSeedCore } from './seed-core'

export interface LargeVault {
  dataDir: string
  total: number
  /** The row the core lists at each picked position, read before browser mode owns the file. */
  expected: Map<number, AppConnection>
}

/**
 * A real vault of the default dataset (100k connections), seeded through the product's own write
 * path and closed, with the rows at the positions `pick` names from its total.
 */
export async function seedLargeVault(name: string, pick: (total: number) => number[]): Promise<LargeVault> {
  const seed = await createSeedCore(name)
  try {
    seedDataset(seed.core.vault.requireSession(), seed.clock, DEFAULT_DATASET)
    const slice = (offset: number) =>
      seed.call<{ data: AppConnection[]; total: number }>('connections.slice', { offset, limit: 1 })
    const total = (await slice(0)).total
    const expected = new Map<number, AppConnection>()
    for (const index of pick(total)) expected.set(index, (await slice(index)).data[0]!)
    return { dataDir: seed.dataDir, total, expected }
  } finally {
    await seed.close()
  }
}
