// The floor: the least work that stores the same connections with the same guarantees, done with
// the raw parts in the same process and the same minute as Latchkey's figure. better-sqlite3 with
// the vault's own pragmas (store.ts), AES-256-GCM from node:crypto with the row id as associated
// data, one SHA-256-chained audit row per write, the same rows with the same bytes. No router, no
// validation, no list in memory, no project table, no outbox: Latchkey's layers are what the
// ratio to this measures.
import Database from 'better-sqlite3'
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { createGenerator, type DatasetSpec } from '../../test/support/dataset'

/** Two B-trees, the fewest an upsert needs: rows by id (reveal, get) and the natural key (upsert). */
const SCHEMA = `
CREATE TABLE items (
  id TEXT PRIMARY KEY,
  natural_key TEXT NOT NULL UNIQUE,
  fields TEXT NOT NULL,
  envelope BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  action TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);`

/** One write as the floor takes it: the key, the plain columns as JSON, the value's plaintext. */
export interface FloorItem {
  naturalKey: string
  fields: string
  plaintext: string
}

export interface Floor {
  db: Database.Database
  /** A fresh item from the dataset generator (the next draw), under `externalId`. */
  item(index: number, externalId: string): FloorItem
  /** A fresh item under the natural key of the `seeded`-th seeded row: an update of it. */
  existing(seeded: number, index: number): FloorItem
  /** Upserts in one transaction; returns how many rows already existed. */
  /** The natural key of the `seeded`-th seeded row. */
  seededKey(seeded: number): string
  upsertBatch(items: readonly FloorItem[]): number
  /** One value read and opened, with its audit row, in one transaction (a reveal). */
  reveal(id: string): string
  idOf(naturalKey: string): string
  /** Every id and its lower-cased display name, in id order: what a raw name search scans. */
  names(): { ids: string[]; names: string[] }
  rowsByIds(ids: readonly string[]): unknown[]
  seededRowsPerSecond: number
  close(): void
}

/** The vault's pragmas, as store.ts sets them. */
function configure(db: Database.Database): void {
  db.pragma('locking_mode = EXCLUSIVE')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('wal_autocheckpoint = 8192')
  db.pragma('temp_store = MEMORY')
  db.pragma('journal_size_limit = 33554432')
  db.pragma('secure_delete = ON')
}

/** A floor vault in `dir`, seeded with `spec.connections` items in one transaction. */
export function createFloor(dir: string, spec: DatasetSpec, seed = spec.seed): Floor {
  const db = new Database(join(dir, 'floor.sqlite'))
  configure(db)
  db.exec(SCHEMA)
  const key = randomBytes(32)
  const generate = createGenerator({ ...spec, seed })
  const selectId = db.prepare<[string], string>('SELECT id FROM items WHERE natural_key = ?').pluck()
  const insert = db.prepare('INSERT INTO items (id, natural_key, fields, envelope) VALUES (?, ?, ?, ?)')
  const update = db.prepare('UPDATE items SET fields = ?, envelope = ? WHERE id = ?')
  const readEnvelope = db.prepare<[string], Buffer>('SELECT envelope FROM items WHERE id = ?').pluck()
  const head = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1',
  )
  const appendAudit = db.prepare(
    'INSERT INTO audit (seq, at_ms, action, entity_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  let idCounter = 0

  const seal = (id: string, plaintext: string): Buffer => {
    const nonce = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', key, nonce)
    cipher.setAAD(Buffer.from(id))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return Buffer.concat([nonce, cipher.getAuthTag(), body])
  }
  const open = (id: string, envelope: Buffer): string => {
    const decipher = createDecipheriv('aes-256-gcm', key, envelope.subarray(0, 12))
    decipher.setAAD(Buffer.from(id))
    decipher.setAuthTag(envelope.subarray(12, 28))
    return Buffer.concat([decipher.update(envelope.subarray(28)), decipher.final()]).toString('utf8')
  }
  const audit = (action: string, id: string, details: string): void => {
    const last = head.get()
    const seq = (last?.seq ?? 0) + 1
    const prev = last?.hash ?? '0'.repeat(64)
    const atMs = Date.now()
    const hash = createHash('sha256')
      .update(JSON.stringify([seq, atMs, action, id, details, prev]))
      .digest('hex')
    appendAudit.run(seq, atMs, action, id, details, prev, hash)
  }
  const write = (item: FloorItem): boolean => {
    const existing = selectId.get(item.naturalKey)
    const id =
      existing ??
      `conn_${(idCounter++).toString(36).padStart(8, '0')}${randomBytes(12).toString('base64url')}`
    const envelope = seal(id, item.plaintext)
    if (existing) update.run(item.fields, envelope, id)
    else insert.run(id, item.naturalKey, item.fields, envelope)
    // The same details an upsert audits: ids and names, never the value.
    audit(existing ? 'connection.update' : 'connection.create', id, item.fields.slice(0, 160))
    return existing !== undefined
  }
  const upsertBatch = db.transaction((items: readonly FloorItem[]) => {
    let existed = 0
    for (const item of items) if (write(item)) existed += 1
    return existed
  })

  const item = (index: number, externalId: string): FloorItem => {
    const { raw } = generate(index)
    const { value, ...fields } = raw
    const remote = (raw.remoteId as string | null) ?? ''
    return {
      naturalKey: `${remote}\u001f${raw.pieceName as string}\u001f${externalId}`,
      fields: JSON.stringify({ ...fields, externalId, status: 'ACTIVE', createdMs: Date.now() }),
      plaintext: JSON.stringify(value),
    }
  }

  const seedItems = Array.from({ length: spec.connections }, (_unused, index) => item(index, `ext_${index}`))
  const seededKeys = seedItems.map((seeded) => seeded.naturalKey)
  const seedStart = performance.now()
  upsertBatch(seedItems)
  const seededRowsPerSecond = spec.connections / ((performance.now() - seedStart) / 1000)
  // RESTART, not TRUNCATE: later commits overwrite WAL blocks already on disk, as the vault's do
  // once it has checkpointed, instead of growing the file (which makes every fsync dearer).
  db.pragma('wal_checkpoint(RESTART)')

  return {
    db,
    item,
    seededKey: (seeded) => seededKeys[seeded]!,
    existing: (seeded, index) => ({ ...item(index, 'unused'), naturalKey: seededKeys[seeded]! }),
    upsertBatch,
    reveal: db.transaction((id: string) => {
      const plaintext = open(id, readEnvelope.get(id)!)
      audit('connection.reveal', id, '{}')
      return plaintext
    }),
    idOf: (naturalKey) => selectId.get(naturalKey)!,
    names() {
      const rows = db.prepare<[], { id: string; fields: string }>('SELECT id, fields FROM items').all()
      return {
        ids: rows.map((row) => row.id),
        names: rows.map((row) =>
          (JSON.parse(row.fields) as { displayName: string }).displayName.toLowerCase(),
        ),
      }
    },
    rowsByIds: (() => {
      const statement = db.prepare<[string]>(
        'SELECT id, fields FROM items WHERE id IN (SELECT value FROM json_each(?))',
      )
      return (ids: readonly string[]) => statement.all(JSON.stringify(ids))
    })(),
    seededRowsPerSecond,
    close: () => db.close(),
  }
}
