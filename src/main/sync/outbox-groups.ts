import type { OutboxOperation, OutboxRow } from './sync-repository'

/**
 * One connection's waiting entries, pushed as one write of the connection as it stands now: ten
 * edits made offline are one request, not ten. `maxSeq` bounds what a success clears, so an
 * edit made while the request was out stays queued.
 */
export interface ConnectionGroup {
  kind: 'connection'
  connectionId: string
  firstSeq: number
  maxSeq: number
  /** What the push does: the last delete wins; otherwise a value change (upsert) beats a rename. */
  operation: 'upsert' | 'update' | 'delete'
  /** The last entry's payload (names and ids only: a delete needs them, its row is gone). */
  payload: Record<string, unknown>
  /** How far a multi-request push got before a crash (a Weavz rotation's delete). */
  step: string | null
  /** Every entry was refused by the remote and nothing changed since. */
  stopped: boolean
}

/** A replace rewires flows between two connections: not coalesced, it goes in its place. */
export interface ReplaceGroup {
  kind: 'replace'
  connectionId: string
  firstSeq: number
  maxSeq: number
  payload: Record<string, unknown>
  stopped: boolean
}

export type OutboxGroup = ConnectionGroup | ReplaceGroup

/** In the order of each group's first entry, so the remote sees creations before their use. */
export function groupOutbox(rows: readonly OutboxRow[]): OutboxGroup[] {
  const groups: OutboxGroup[] = []
  const byConnection = new Map<string, ConnectionGroup & { operations: Set<OutboxOperation> }>()
  for (const row of rows) {
    const payload = parsePayload(row.payload)
    if (row.operation === 'replace') {
      groups.push({
        kind: 'replace',
        connectionId: row.connection_id,
        firstSeq: row.seq,
        maxSeq: row.seq,
        payload,
        stopped: row.stopped_error !== null,
      })
      continue
    }
    let group = byConnection.get(row.connection_id)
    if (!group) {
      group = {
        kind: 'connection',
        connectionId: row.connection_id,
        firstSeq: row.seq,
        maxSeq: row.seq,
        operation: row.operation,
        payload,
        step: row.step,
        stopped: row.stopped_error !== null,
        operations: new Set(),
      }
      byConnection.set(row.connection_id, group)
      groups.push(group)
    }
    group.maxSeq = row.seq
    group.payload = payload
    group.step = group.step ?? row.step
    group.stopped = group.stopped && row.stopped_error !== null
    group.operations.add(row.operation)
    group.operation = coalesce(group.operations, row.operation)
  }
  return groups
}

function coalesce(operations: Set<OutboxOperation>, last: OutboxOperation): ConnectionGroup['operation'] {
  if (last === 'delete') return 'delete'
  if (operations.has('upsert')) return 'upsert'
  return 'update'
}

function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}
