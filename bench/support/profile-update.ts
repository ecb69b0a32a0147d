// Development aid, not a benchmark: batches of 500 updates of seeded connections beside the floor's,
// for a CPU profile (node --cpu-prof --import tsx bench/support/profile-update.ts). The floor's time
// here includes generating its items (connections.bench.ts builds both sides' inputs beforehand), so
// its ratios read a little higher than the bench's.
import { createGenerator } from '../../test/support/dataset'
import { createFloor } from './floor'
import { BENCH_PASSWORD, interleave, makeTempDir, removeDir } from './harness'
import { copyOf, sharedVault } from './shared-vault'

async function main(): Promise<void> {
  const template = await sharedVault()
  const { spec } = template
  const copy = copyOf(template, 'profile')
  const floorDir = makeTempDir('floor')
  const floor = createFloor(floorDir, spec)
  await copy.bench.call('vault.unlock', { password: BENCH_PASSWORD })
  const db = copy.bench.core.vault.requireSession().db
  // What-if experiments: which of the pages an update dirties costs what.
  if (process.env.DROP_AUDIT_INDEX) db.exec('DROP INDEX audit_log_by_entity')
  // What-if: pages read through a memory map (both sides, as the floor keeps the vault's pragmas).
  if (process.env.MMAP_MIB)
    for (const handle of [db, floor.db])
      handle.pragma(`mmap_size = ${Number(process.env.MMAP_MIB) * 1024 * 1024}`)
  if (process.env.CACHE_MIB)
    for (const handle of [db, floor.db])
      handle.pragma(`cache_size = -${Number(process.env.CACHE_MIB) * 1024}`)
  // As in the app (and connections.bench.ts): the list read into memory, its change notes armed.
  if (process.env.LIST) {
    await copy.bench.call('connections.list', { limit: 50 })
    await copy.bench.listReady()
  }
  const targets = db
    .prepare(
      `SELECT remote_key, piece_name, external_id FROM connections WHERE external_id GLOB 'ext_*' AND rowid % 20 = 0 ORDER BY rowid LIMIT 5000`,
    )
    .all() as { remote_key: string; piece_name: string; external_id: string }[]
  // PAGES=1: how many pages each batch writes to the WAL, on both sides. A passive checkpoint before
  // a batch leaves every frame copied, so the batch's commit starts the WAL over and the frame count
  // after it is what it wrote (the checkpoints cost both sides the same; times then read high).
  const pages = { latchkey: [] as number[], floor: [] as number[] }
  const framesOf = (handle: typeof db) =>
    (handle.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log
  const counted = async (side: 'latchkey' | 'floor', handle: typeof db, work: () => unknown) => {
    if (!process.env.PAGES) return work()
    framesOf(handle)
    await work()
    pages[side].push(framesOf(handle))
  }
  const generate = createGenerator({ ...spec, seed: spec.seed + 3 })
  let next = 0
  const batches = Number(process.env.BATCHES ?? 10)
  const times = await interleave(
    batches,
    async (round) => {
      copy.clock.set(copy.clock.now() + 1)
      const items = Array.from({ length: 500 }, (_u, i) => {
        const target = targets[((round * 500 + i) * 7919) % targets.length]!
        return {
          ...generate(next++).raw,
          pieceName: target.piece_name,
          externalId: target.external_id,
          remoteId: target.remote_key === '' ? null : target.remote_key,
        }
      })
      await counted('latchkey', db, () => copy.bench.call('connections.upsertBatch', { items }))
    },
    (round) =>
      counted('floor', floor.db, () =>
        floor.upsertBatch(
          Array.from({ length: 500 }, (_u, i) =>
            floor.existing(((((round * 500 + i) * 7919) % 5000) + 1) * 20 - 1, next++),
          ),
        ),
      ),
  )
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
  console.log(
    `latchkey ${Math.round((batches * 500) / (sum(times.latchkey) / 1000))}/s, floor ${Math.round((batches * 500) / (sum(times.floor) / 1000))}/s, ratio ${(sum(times.floor) / sum(times.latchkey)).toFixed(3)}`,
  )
  if (process.env.PAGES)
    console.log(
      `pages written per batch of 500: latchkey ${pages.latchkey.join(' ')}; floor ${pages.floor.join(' ')}`,
    )
  floor.close()
  removeDir(floorDir)
  await copy.dispose()
}

void main()
