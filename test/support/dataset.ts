// The benchmark vault: many connections spread over many pieces, with varied names, scopes,
// projects, remotes, statuses and token expiries. Rows are written by the product's own
// connections service (AES-GCM seal, row, projects, FTS trigger, audit entry, sync outbox), all
// inside one vault transaction: the service's per-call transactions nest as savepoints.
import { randomBytes } from 'node:crypto'
import type { ConnectionValue, ParsedInputOf, Procedures } from '../../src/shared/contract'
import { procedures } from '../../src/shared/contract'
import { createConnectionsService } from '../../src/main/connections/service'
import type { VaultSession } from '../../src/main/vault/session'
import type { SettableClock } from './seed-core'

export interface DatasetSpec {
  connections: number
  pieces: number
  projects: number
  /** Fractions of connections on each remote; the rest are local-only. */
  remotes: { id: string; share: number }[]
  /** Fractions of connections whose status is set to ERROR / MISSING after seeding. */
  errorShare: number
  missingShare: number
  /** Connections whose display name contains RARE_WORD. */
  rareNames: number
  seed: number
}

export const DEFAULT_DATASET: DatasetSpec = {
  connections: 100_000,
  pieces: 300,
  projects: 200,
  remotes: [
    { id: 'remote-main', share: 0.15 },
    { id: 'remote-eu', share: 0.04 },
    { id: 'remote-rare', share: 0.0005 },
  ],
  errorShare: 0.05,
  missingShare: 0.01,
  rareNames: 25,
  seed: 20_260_101,
}

/** A substring only `rareNames` display names contain. */
export const RARE_WORD = 'Quokka'
/** A substring about a third of display names contain ("Production"). */
export const COMMON_WORD = 'prod'

const ENVIRONMENTS: [string, number][] = [
  ['Production', 0.35],
  ['Staging', 0.2],
  ['Development', 0.2],
  ['Sandbox', 0.15],
  ['Test', 0.1],
]
const TEAMS = [
  'Sales',
  'Marketing',
  'Support',
  'Finance',
  'Ops',
  'Growth',
  'Data',
  'Platform',
  'Security',
  'Legal',
  'HR',
  'Design',
  'Mobile',
  'Web',
  'Infra',
  'Billing',
  'Partners',
  'Research',
  'Success',
  'Recruiting',
]
const WORDS = [
  'slack',
  'gmail',
  'notion',
  'hubspot',
  'stripe',
  'github',
  'jira',
  'airtable',
  'asana',
  'trello',
  'zendesk',
  'shopify',
  'twilio',
  'sendgrid',
  'dropbox',
  'salesforce',
  'intercom',
  'mailchimp',
  'linear',
  'discord',
]

export function pieceName(index: number): string {
  return `@activepieces/piece-${WORDS[index % WORDS.length]}-${String(index).padStart(3, '0')}`
}

export function projectId(index: number): string {
  return `project_${String(index).padStart(3, '0')}`
}

function title(piece: number): string {
  const word = WORDS[piece % WORDS.length]!
  return `${word[0]!.toUpperCase()}${word.slice(1)} ${piece}`
}

/** Skewed towards low indexes: index 0 is the most common, the tail is rare. */
function skewed(random: () => number, size: number, power: number): number {
  return Math.min(size - 1, Math.floor(size * random() ** power))
}

function pick<T>(random: () => number, weighted: [T, number][]): T {
  let roll = random()
  for (const [value, weight] of weighted) {
    roll -= weight
    if (roll < 0) return value
  }
  return weighted.at(-1)![0]
}

export type UpsertInput = ParsedInputOf<Procedures['connections.upsert']>

export interface GeneratedConnection {
  /** What a caller would send to connections.upsert (before validation). */
  raw: Record<string, unknown>
  /** Milliseconds after the previous row: spreads created/updated times. */
  stepMs: number
}

/** The i-th connection of a dataset: deterministic per (spec.seed, i). */
export function createGenerator(spec: DatasetSpec): (index: number) => GeneratedConnection {
  const random = createRandom(spec.seed)
  const rareEvery = Math.max(1, Math.floor(spec.connections / Math.max(1, spec.rareNames)))
  return (index) => {
    const piece = skewed(random, spec.pieces, 2.2)
    const environment = pick(random, ENVIRONMENTS)
    const team = TEAMS[Math.floor(random() * TEAMS.length)]!
    const rare = spec.rareNames > 0 && index % rareEvery === rareEvery - 1 ? ` ${RARE_WORD}` : ''
    const displayName = `${title(piece)} ${environment} ${team}${rare} #${index}`
    const platformScope = random() < 0.25
    const projectIds: string[] = []
    if (platformScope) {
      const count = Math.floor(random() * 4)
      for (let i = 0; i < count; i += 1) projectIds.push(projectId(skewed(random, spec.projects, 3)))
    } else if (random() < 0.95) {
      projectIds.push(projectId(skewed(random, spec.projects, 3)))
    }
    let remoteId: string | null = null
    let roll = random()
    for (const remote of spec.remotes) {
      roll -= remote.share
      if (roll < 0) {
        remoteId = remote.id
        break
      }
    }
    const kind = random()
    let type: string
    let value: ConnectionValue
    if (kind < 0.45) {
      type = 'SECRET_TEXT'
      value = { type: 'SECRET_TEXT', secret_text: `sk_live_${index.toString(36)}_${'x'.repeat(24)}` }
    } else if (kind < 0.8) {
      type = 'OAUTH2'
      value = {
        type: 'OAUTH2',
        access_token: `ya29.${index.toString(36)}${'a'.repeat(120)}`,
        refresh_token: `1//${index.toString(36)}${'r'.repeat(60)}`,
        token_url: 'https://oauth2.example.com/token',
        client_id: 'client-id.apps.example.com',
        client_secret: 'client-secret',
        scope: 'read write',
        // Most tokens expire (the expiry sort), some never say.
        ...(random() < 0.8 ? { expires_in: 600 + Math.floor(random() * 86_400 * 30) } : {}),
      }
    } else if (kind < 0.92) {
      type = 'BASIC_AUTH'
      value = { type: 'BASIC_AUTH', username: `user${index}@example.com`, password: 'hunter2-hunter2' }
    } else {
      type = 'CUSTOM_AUTH'
      value = { type: 'CUSTOM_AUTH', props: { apiKey: `key-${index}`, region: 'eu-west-1', tenant: team } }
    }
    return {
      raw: {
        displayName,
        pieceName: pieceName(piece),
        pieceVersion: `0.${piece % 17}.${index % 5}`,
        type,
        externalId: `ext_${index}`,
        value,
        scope: platformScope ? 'PLATFORM' : 'PROJECT',
        projectIds,
        remoteId,
        metadata: random() < 0.3 ? { team, environment } : undefined,
      },
      stepMs: 1 + Math.floor(random() * 60_000),
    }
  }
}

export function parseUpsert(raw: Record<string, unknown>): UpsertInput {
  return procedures['connections.upsert'].input.parse(raw) as UpsertInput
}

/**
 * Remotes are the sync engineer's to create; as in test/main/connections/support.ts the row is
 * inserted as the schema defines it, with its API key sealed by the session.
 */
export function insertRemote(session: VaultSession, id: string): void {
  session.db
    .prepare(
      `INSERT INTO remotes (id, name, dialect, base_url, project_id, api_key_envelope, key_version, created_ms, updated_ms)
       VALUES (?, ?, 'activepieces', 'https://cloud.example.com', 'project_000', ?, ?, 0, 0)`,
    )
    .run(id, `Remote ${id}`, session.seal('remote-api-key', id, 'sk-remote-key'), session.keyVersion)
}

export interface SeedResult {
  rows: number
  /** Validation of every input (zod), outside the timed part. */
  validateMs: number
  /** service.save for every row inside one transaction, commit included. */
  insertMs: number
  rowsPerSecond: number
  /** Time of the status UPDATE that marks some rows ERROR / MISSING (setup only, not product code). */
  statusMs: number
  ids: string[]
  firstMs: number
  lastMs: number
}

/**
 * Seeds `spec.connections` rows through the product's connections service in one transaction.
 * Inputs are validated up front (as the router would) so the timed part is the service's write path:
 * seal, insert, projects, FTS, audit, outbox.
 */
export function seedDataset(session: VaultSession, clock: SettableClock, spec: DatasetSpec): SeedResult {
  const service = createConnectionsService({ session: () => session, clock, random: randomBytes })
  for (const remote of spec.remotes) insertRemote(session, remote.id)
  const generate = createGenerator(spec)
  const validateStart = performance.now()
  const inputs: { input: UpsertInput; stepMs: number }[] = []
  for (let i = 0; i < spec.connections; i += 1) {
    const { raw, stepMs } = generate(i)
    inputs.push({ input: parseUpsert(raw), stepMs })
  }
  const validateMs = performance.now() - validateStart
  const ids: string[] = []
  const firstMs = clock.now()
  let at = firstMs
  const insertStart = performance.now()
  session.transaction(() => {
    for (const { input, stepMs } of inputs) {
      at += stepMs
      clock.set(at)
      ids.push(service.save(input, 'upsert', 'bench-seed').connection.id)
    }
  })
  const insertMs = performance.now() - insertStart

  // No product path sets ERROR yet (the token refresher will), and MISSING comes from a forced
  // delete of a referenced connection; the seed sets both statuses directly, as data, not as a
  // measured path.
  const statusStart = performance.now()
  const random = createRandom(spec.seed ^ 0x5eed)
  const setStatus = session.db.prepare<[string, string, string]>(
    'UPDATE connections SET status = ?, status_reason = ? WHERE id = ?',
  )
  session.transaction(() => {
    for (const id of ids) {
      const roll = random()
      if (roll < spec.missingShare) setStatus.run('MISSING', 'Seeded as missing.', id)
      else if (roll < spec.missingShare + spec.errorShare) setStatus.run('ERROR', 'Seeded as failing.', id)
    }
  })
  const statusMs = performance.now() - statusStart
  return {
    rows: ids.length,
    validateMs,
    insertMs,
    rowsPerSecond: ids.length / (insertMs / 1000),
    statusMs,
    ids,
    firstMs,
    lastMs: at,
  }
}

/** A small deterministic PRNG (mulberry32), so every run seeds the same data. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
