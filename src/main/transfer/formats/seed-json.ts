import { isRecord, malformed, parseJsonText, text, type ImportEntry } from './entry'

/** Fields an upsert takes, as the seeds name them; everything else a list answer carries is ignored. */
const WRITABLE = [
  'externalId',
  'displayName',
  'pieceName',
  'pieceVersion',
  'type',
  'value',
  'scope',
  'projectIds',
  'metadata',
  'preSelectForNewProjects',
] as const

/**
 * Seed-shaped JSON: Latchkey's own export ({ connections: [...] }), a bare array of connections, or
 * a list answer from either server ({ data: [...] }, whose entries carry no secret and are skipped).
 */
export function readSeedJson(source: string): ImportEntry[] {
  const parsed = parseJsonText(source)
  const [list, name] = Array.isArray(parsed)
    ? [parsed, '']
    : isRecord(parsed) && Array.isArray(parsed.connections)
      ? [parsed.connections, 'connections']
      : isRecord(parsed) && Array.isArray(parsed.data)
        ? [parsed.data, 'data']
        : [null, '']
  if (!list) {
    throw malformed(
      'the top level',
      'expected a list of connections, or an object with a "connections" list.',
    )
  }
  return list.map((item, index) => entryOf(item, name ? `${name}[${index}]` : `[${index}]`))
}

function entryOf(item: unknown, at: string): ImportEntry {
  if (!isRecord(item)) throw malformed(at, 'each connection must be a JSON object.')
  const candidate: Record<string, unknown> = {}
  for (const field of WRITABLE) if (item[field] !== undefined) candidate[field] = item[field]
  // The Activepieces upsert names one project; Latchkey's shape a list.
  if (candidate.projectIds === undefined && typeof item.projectId === 'string')
    candidate.projectIds = [item.projectId]
  // Weavz has no piece versions; the upsert needs one.
  candidate.pieceVersion ??= '0.0.0'
  const label = {
    at,
    displayName: text(item.displayName),
    pieceName: text(item.pieceName),
    externalId: text(item.externalId),
  }
  if (candidate.value === undefined && candidate.type !== 'NO_AUTH') {
    return {
      ...label,
      candidate: null,
      skip: 'It holds no secret (a MISSING placeholder, or a list answer from a server that never returns secrets).',
    }
  }
  return { ...label, candidate }
}
