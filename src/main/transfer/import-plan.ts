import { createHash } from 'node:crypto'
import type { ConnectionValue, ParsedInputOf, Procedures } from '../../shared/contract'
import { upsertConnectionSchema } from '../../shared/contract/connections'
import type { ImportFormat, ImportPlan, ImportPlanItem } from '../../shared/contract/transfer'
import { fieldIssuesOf, humanIssueMessage, summarizeIssues } from '../../shared/contract/human-issues'
import type { ConnectionsRepository } from '../connections/repository'
import { toConnection } from '../connections/rows'
import { normalizeValue, valueOrDefault } from '../connections/value'
import type { VaultSession } from '../vault/session'
import { readBitwarden } from './formats/bitwarden'
import type { FormatOptions, ImportEntry } from './formats/entry'
import { readEnv } from './formats/env'
import { readKeePassXcCsv } from './formats/keepassxc'
import { readSeedJson } from './formats/seed-json'

export type UpsertInput = ParsedInputOf<Procedures['connections.upsert']>

const READERS: Record<ImportFormat, (source: string, options: FormatOptions) => ImportEntry[]> = {
  'latchkey-json': readSeedJson,
  env: readEnv,
  'bitwarden-json': readBitwarden,
  'keepassxc-csv': readKeePassXcCsv,
}

/** A plan and the upserts it runs: items[i] is planned as plan.items[i]; only creates and updates have one. */
export interface PlannedImport {
  plan: ImportPlan
  upserts: UpsertInput[]
}

/**
 * What importing `source` would do to the vault as it is now, entry by entry: every entry is
 * checked with the same schema connections.upsert uses, matched to an existing local connection by
 * (piece, external id) as an upsert would, and compared with it, so re-importing the same file
 * skips what is already there instead of rewriting it. Throws VALIDATION for a malformed file.
 */
export function planImport(
  session: VaultSession,
  repository: ConnectionsRepository,
  format: ImportFormat,
  source: string,
  options: FormatOptions,
  nowMs: number,
): PlannedImport {
  const entries = READERS[format](source, options)
  const items: ImportPlanItem[] = []
  const upserts: UpsertInput[] = []
  const firstAt = new Map<string, string>()
  for (const entry of entries) {
    const base = {
      at: entry.at,
      displayName: entry.displayName,
      pieceName: entry.pieceName,
      externalId: entry.externalId,
      type: null,
      existingId: null,
    }
    if (!entry.candidate) {
      items.push({ ...base, action: 'skip', reason: entry.skip ?? 'It is not a connection.' })
      continue
    }
    const parsed = upsertConnectionSchema.safeParse(entry.candidate, { error: humanIssueMessage })
    if (!parsed.success) {
      const reason = summarizeIssues(fieldIssuesOf(parsed.error))
      items.push({ ...base, action: 'skip', reason: `Not a valid connection. ${reason}` })
      continue
    }
    const input = parsed.data
    const externalId = input.externalId ?? entry.externalId
    const key = `${input.pieceName}\u0000${externalId}`
    const labelled = {
      ...base,
      displayName: input.displayName,
      pieceName: input.pieceName,
      externalId,
      type: input.type,
    }
    const earlier = firstAt.get(key)
    if (earlier) {
      items.push({
        ...labelled,
        action: 'skip',
        reason: `${earlier} has the same piece and external id; only that one is imported.`,
      })
      continue
    }
    firstAt.set(key, entry.at)
    const existing = repository.byNaturalKey('', input.pieceName, externalId)
    if (!existing) {
      items.push({ ...labelled, action: 'create', reason: 'New connection.' })
      upserts.push(input)
      continue
    }
    const changes = changesFrom(session, repository, existing.id, input, nowMs)
    if (changes.length === 0) {
      items.push({
        ...labelled,
        existingId: existing.id,
        action: 'skip',
        reason: 'Already in the vault exactly like this.',
      })
      continue
    }
    items.push({
      ...labelled,
      existingId: existing.id,
      action: 'update',
      reason: `Replaces the ${changes.join(', ')} of the connection with this external id.`,
    })
    upserts.push(input)
  }
  const counts = { create: 0, update: 0, skip: 0 }
  for (const item of items) counts[item.action] += 1
  const digest = createHash('sha256')
    .update(JSON.stringify([format, items.map((item) => [item.at, item.action, item.existingId])]))
    .update(JSON.stringify(upserts))
    .digest('base64url')
  return { plan: { format, items, counts, digest }, upserts }
}

/** Which parts an upsert would change, in words; empty when it would write what is there. */
function changesFrom(
  session: VaultSession,
  repository: ConnectionsRepository,
  id: string,
  input: UpsertInput,
  nowMs: number,
): string[] {
  const row = repository.byId(id)!
  const current = toConnection(row, repository.related([id]))
  const changes: string[] = []
  const envelope = repository.readValue(id)
  const value = envelope
    ? (JSON.parse(session.open('connection-value', id, envelope)) as ConnectionValue)
    : null
  const incoming = normalizeValue(valueOrDefault(input.value), nowMs)
  // claimed_at is set to "now" when a file leaves it out: only the secret itself is compared then.
  const comparable = (v: ConnectionValue | null) =>
    v && input.value && 'access_token' in input.value && input.value.claimed_at === undefined
      ? JSON.stringify({ ...v, claimed_at: undefined })
      : JSON.stringify(v)
  if (current.status === 'MISSING' || comparable(value) !== comparable(incoming)) changes.push('secret')
  if (current.displayName !== input.displayName) changes.push('name')
  if (current.type !== input.type) changes.push('type')
  if (current.scope !== input.scope) changes.push('scope')
  if (
    JSON.stringify([...current.projectIds].sort()) !== JSON.stringify([...new Set(input.projectIds)].sort())
  )
    changes.push('projects')
  if (input.metadata !== undefined && JSON.stringify(current.metadata) !== JSON.stringify(input.metadata))
    changes.push('metadata')
  if (current.preSelectForNewProjects !== input.preSelectForNewProjects) changes.push('pre-selection')
  return changes
}
