import { Option, type Command } from 'commander-v14'
import {
  CONNECTION_SCOPES,
  CONNECTION_STATUSES,
  CONNECTION_TYPES,
  EXPIRY_STATES,
  LIST_SORTS,
  SORT_ORDERS,
  UPSERT_BATCH_MAX,
} from '../contract-values'
import type {
  AppConnection,
  ConnectionFilter,
  ConnectionOwner,
  ConnectionType,
  ConnectionValue,
  UpsertConnectionInput,
} from '../../../shared/contract'
import { validationError } from '../../../shared/errors'
import type { VaultClient } from '../client/vault-client'
import type { CliContext } from '../context'
import { details, json, progress, table } from '../output'
import { defaultFieldOf, fieldOf, findConnection, revealConnection } from './find-connection'

const whole = (name: string) => (value: string) => {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 1)
    throw validationError(`${name} must be a whole number above 0.`)
  return number
}

function connectionRows(connections: AppConnection[]): string {
  return table(
    ['ID', 'NAME', 'PIECE', 'TYPE', 'STATUS', 'UPDATED'],
    connections.map((c) => [c.id, c.displayName, c.pieceName, c.type, c.status, c.updated]),
  )
}

function connectionDetails(c: AppConnection): string {
  return details([
    ['id', c.id],
    ['externalId', c.externalId],
    ['name', c.displayName],
    ['piece', `${c.pieceName}${c.pieceVersion ? `@${c.pieceVersion}` : ''}`],
    ['type', c.type],
    ['status', c.statusReason ? `${c.status} (${c.statusReason})` : c.status],
    ['scope', c.scope],
    ['projects', c.projectIds.join(', ') || '-'],
    ['remote', c.remoteId ?? 'local only'],
    ['flows', String(c.flowIds.length)],
    ['expires', c.health.tokenExpiresAt ?? '-'],
    ['created', c.created],
    ['updated', c.updated],
  ])
}

interface ListOptions {
  piece?: string
  name?: string
  status?: string[]
  scope?: string
  project?: string
  remote?: string
  localOnly?: boolean
  expiry?: string[]
  sort: string
  order?: string
  limit?: number
  all?: boolean
  json?: boolean
}

function filterOf(options: ListOptions): ConnectionFilter {
  return {
    pieceName: options.piece,
    displayName: options.name,
    status: options.status as ConnectionFilter['status'],
    scope: options.scope as ConnectionFilter['scope'],
    projectId: options.project,
    remoteId: options.localOnly ? null : options.remote,
    expiry: options.expiry as ConnectionFilter['expiry'],
    sort: options.sort as ConnectionFilter['sort'],
    order: options.order as ConnectionFilter['order'],
  }
}

const PAGE = 100

/**
 * Until the core has read the list into memory (a background read, chunk by chunk, after the first
 * list call), SQL answers each page with a scan and a sort: a hundred pages of a 10,000-row vault
 * cost more than reading the list once. A vault this command opened itself starts cold, so a long
 * list waits for it; connections.facets says `partial` until it is read.
 */
async function listInMemory(client: VaultClient): Promise<void> {
  await client.call('connections.list', { limit: 1 })
  while ((await client.call('connections.facets', {})).partial) {
    await new Promise((resolve) => setImmediate(resolve))
  }
}

export function registerConnectionCommands(program: Command, context: CliContext): void {
  program
    .command('list')
    .description('List connections (never their secrets), newest first; one page unless --all.')
    .option('--piece <pieceName>', 'only this piece')
    .option('--name <text>', 'display name contains this (any case)')
    .addOption(new Option('--status <status...>', 'only these statuses').choices(CONNECTION_STATUSES))
    .addOption(new Option('--scope <scope>', 'only this scope').choices(CONNECTION_SCOPES))
    .option('--project <projectId>', 'only this project')
    .option('--remote <remoteId>', 'only this remote')
    .option('--local-only', 'only connections without a remote')
    .addOption(
      new Option('--expiry <state...>', 'token expired or expiring within a day').choices(EXPIRY_STATES),
    )
    .addOption(new Option('--sort <sort>', 'sort key').choices(LIST_SORTS).default('updated'))
    .addOption(new Option('--order <order>', 'sort order').choices(SORT_ORDERS))
    .option(
      '--limit <n>',
      `rows to show (default ${10}; pages of ${PAGE} are fetched as needed)`,
      whole('--limit'),
    )
    .option('--all', 'every matching connection')
    .option('--json', 'JSON for machines: {"data": [...], "more": true when rows were left out}')
    .action(async (options: ListOptions) => {
      const filter = filterOf(options)
      const wanted = options.all ? Infinity : (options.limit ?? 10)
      await context.withVault('list', async (client) => {
        if (client.holder.kind === 'self' && wanted > PAGE) await listInMemory(client)
        const rows: AppConnection[] = []
        let cursor: string | undefined
        let next: string | null = null
        const bar = progress(context.stderr, 'Listing')
        do {
          const page = await client.call('connections.list', {
            ...filter,
            limit: Math.min(PAGE, wanted - rows.length),
            cursor,
          })
          rows.push(...page.data)
          next = page.next
          cursor = next ?? undefined
          bar.update(rows.length)
        } while (next && rows.length < wanted)
        bar.done()
        // A cursor is signed with a key of the vault session that made it, so it cannot outlive
        // this command: only whether more rows match is told.
        context.stdout.write(options.json ? json({ data: rows, more: next !== null }) : connectionRows(rows))
        if (!options.json && next) context.say('More rows match: raise --limit, or use --all.')
      })
    })

  program
    .command('get')
    .description('Show one connection, by id or externalId: metadata only, never its secret.')
    .argument('<id>', 'id or externalId')
    .option('--json', 'JSON for machines')
    .action(async (id: string, options: { json?: boolean }) => {
      await context.withVault('get', async (client) => {
        const connection = await findConnection(client, id)
        context.stdout.write(options.json ? json(connection) : connectionDetails(connection))
      })
    })

  program
    .command('reveal')
    .description('Print one field of a connection’s secret, raw, with no newline added: for $(…).')
    .argument('<id>', 'id or externalId')
    .option(
      '--field <field>',
      'secret_text, password, access_token, a property name…; default: the type’s secret',
    )
    .option('--json', 'the whole value as JSON instead')
    .action(async (id: string, options: { field?: string; json?: boolean }) => {
      await context.withVault('reveal', async (client) => {
        const { id: connectionId, value } = await revealConnection(client, id)
        context.stdout.write(options.json ? json(value) : fieldOf(connectionId, value, options.field))
      })
    })

  program
    .command('set')
    .description(
      'Create or update a connection (upsert by remote, piece and externalId). The secret comes from stdin: raw text for secret text, the password for basic auth, a value JSON for other types. With --stdin-json, stdin is a seed-shape connection, or an array of them.',
    )
    .option('--stdin-json', 'read seed-shape JSON (one connection or an array) from stdin')
    .option('--name <displayName>', 'display name')
    .option('--piece <pieceName>', 'piece name')
    .option('--piece-version <version>', 'piece version', '0.0.0')
    .addOption(
      new Option('--type <type>', 'connection type').choices(CONNECTION_TYPES).default('SECRET_TEXT'),
    )
    .option('--external-id <externalId>', 'the key scripts and flows use; default: the new id')
    .option('--username <username>', 'basic auth username (the password comes from stdin)')
    .addOption(new Option('--scope <scope>', 'scope').choices(CONNECTION_SCOPES))
    .option('--project <projectId...>', 'project ids')
    .option('--remote <remoteId>', 'remote id')
    .option('--metadata <json>', 'metadata as a JSON object')
    .option('--json', 'JSON for machines')
    .action(async (options: SetOptions) => {
      const stdin = await context.readStdin()
      const items = options.stdinJson ? seedItems(stdin) : [await itemFromFlags(options, stdin)]
      await context.withVault('set', async (client) => {
        const results: { connection: AppConnection; created: boolean }[] = []
        const bar = progress(context.stderr, 'Saving')
        for (let start = 0; start < items.length; start += UPSERT_BATCH_MAX) {
          const batch = items.slice(start, start + UPSERT_BATCH_MAX)
          if (batch.length === 1 && items.length === 1) {
            results.push(await client.call('connections.upsert', batch[0]!))
          } else {
            results.push(...(await client.call('connections.upsertBatch', { items: batch })).results)
          }
          bar.update(results.length, items.length)
        }
        bar.done()
        context.stdout.write(
          options.json
            ? json(items.length === 1 && !options.stdinJson ? results[0] : results)
            : table(
                ['ID', 'NAME', 'RESULT'],
                results.map((r) => [
                  r.connection.id,
                  r.connection.displayName,
                  r.created ? 'created' : 'updated',
                ]),
              ),
        )
      })
    })

  program
    .command('rotate')
    .description(
      'Replace a connection’s secret with stdin (same id, externalId and flows). Raw text replaces --field (default: the type’s secret); with --value-json stdin is the whole new value.',
    )
    .argument('<id>', 'id or externalId')
    .option('--field <field>', 'the field stdin replaces')
    .option('--value-json', 'stdin is the whole value as JSON')
    .option('--json', 'JSON for machines')
    .action(async (id: string, options: { field?: string; valueJson?: boolean; json?: boolean }) => {
      const stdin = await context.readStdin()
      await context.withVault('rotate', async (client) => {
        const connection = await findConnection(client, id)
        const value = options.valueJson
          ? (parseJson(stdin, 'the value') as ConnectionValue)
          : await replacedField(
              connection,
              options.field,
              stdin.toString('utf8'),
              async () => (await client.call('connections.reveal', { id: connection.id })).value,
            )
        const rotated = await client.call('connections.rotate', { id: connection.id, value })
        context.stdout.write(
          options.json ? json(rotated) : `Rotated ${rotated.id} (${rotated.displayName}).\n`,
        )
      })
    })

  program
    .command('update')
    .description('Rename a connection or replace its metadata.')
    .argument('<id>', 'id or externalId')
    .option('--name <displayName>', 'new display name')
    .option('--metadata <json>', 'new metadata (a JSON object, or null)')
    .option('--json', 'JSON for machines')
    .action(async (id: string, options: { name?: string; metadata?: string; json?: boolean }) => {
      await context.withVault('update', async (client) => {
        const connection = await findConnection(client, id)
        const updated = await client.call('connections.update', {
          id: connection.id,
          displayName: options.name,
          metadata:
            options.metadata === undefined
              ? undefined
              : (parseJson(Buffer.from(options.metadata), '--metadata') as Record<string, unknown> | null),
        })
        context.stdout.write(options.json ? json(updated) : connectionDetails(updated))
      })
    })

  program
    .command('rm')
    .description(
      'Delete a connection. Refused when active flows use it, unless --force (which leaves a MISSING placeholder for them).',
    )
    .argument('<id>', 'id or externalId')
    .option('--force', 'delete even when active flows use it')
    .option('--json', 'JSON for machines')
    .action(async (id: string, options: { force?: boolean; json?: boolean }) => {
      await context.withVault('rm', async (client) => {
        const connection = await findConnection(client, id)
        const result = await client.call('connections.delete', {
          id: connection.id,
          force: options.force === true,
        })
        context.stdout.write(
          options.json
            ? json(result)
            : `Deleted ${connection.id}${result.placeholder ? `; placeholder ${result.placeholder.id} keeps its flows' references` : ''}.\n`,
        )
      })
    })

  program
    .command('replace')
    .description('Move every flow reference from SOURCE to TARGET.')
    .argument('<source>', 'id or externalId')
    .argument('<target>', 'id or externalId')
    .option('--json', 'JSON for machines')
    .action(async (source: string, target: string, options: { json?: boolean }) => {
      await context.withVault('replace', async (client) => {
        const from = await findConnection(client, source)
        const to = await findConnection(client, target)
        const result = await client.call('connections.replace', {
          sourceAppConnectionId: from.id,
          targetAppConnectionId: to.id,
        })
        context.stdout.write(
          options.json
            ? json(result)
            : `Moved ${result.movedFlowReferences} flow references from ${from.id} to ${to.id}.\n`,
        )
      })
    })

  program
    .command('owners')
    .description('List the people who own connections.')
    .option('--limit <n>', 'rows to show', whole('--limit'))
    .option('--all', 'every owner')
    .option('--json', 'JSON for machines')
    .action(async (options: { limit?: number; all?: boolean; json?: boolean }) => {
      const wanted = options.all ? Infinity : (options.limit ?? 10)
      await context.withVault('owners', async (client) => {
        const owners: ConnectionOwner[] = []
        let cursor: string | undefined
        do {
          const page: { data: ConnectionOwner[]; next: string | null } = await client.call(
            'connections.owners',
            {
              limit: Math.min(PAGE, wanted - owners.length),
              cursor,
            },
          )
          owners.push(...page.data)
          cursor = page.next ?? undefined
        } while (cursor && owners.length < wanted)
        context.stdout.write(
          options.json
            ? json(owners)
            : table(
                ['EMAIL', 'NAME'],
                owners.map((o) => [o.email, `${o.firstName} ${o.lastName}`.trim()]),
              ),
        )
      })
    })
}

interface SetOptions {
  stdinJson?: boolean
  name?: string
  piece?: string
  pieceVersion: string
  type: ConnectionType
  externalId?: string
  username?: string
  scope?: string
  project?: string[]
  remote?: string
  metadata?: string
  json?: boolean
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    throw validationError(`${what} is not valid JSON.`)
  }
}

function seedItems(stdin: Buffer): UpsertConnectionInput[] {
  const document = parseJson(stdin, 'stdin')
  const items = Array.isArray(document) ? document : [document]
  if (items.length === 0) throw validationError('stdin holds no connection.')
  return items as UpsertConnectionInput[]
}

async function itemFromFlags(options: SetOptions, stdin: Buffer): Promise<UpsertConnectionInput> {
  const missing = [!options.name && '--name', !options.piece && '--piece'].filter(Boolean)
  if (missing.length) throw validationError(`set needs ${missing.join(' and ')} (or --stdin-json).`)
  return {
    displayName: options.name!,
    pieceName: options.piece!,
    pieceVersion: options.pieceVersion,
    type: options.type,
    externalId: options.externalId,
    value: valueFromStdin(options, stdin),
    scope: options.scope as UpsertConnectionInput['scope'],
    projectIds: options.project,
    remoteId: options.remote,
    metadata:
      options.metadata === undefined
        ? undefined
        : (parseJson(Buffer.from(options.metadata), '--metadata') as Record<string, unknown>),
  }
}

function valueFromStdin(options: SetOptions, stdin: Buffer): ConnectionValue | undefined {
  const text = stdin.toString('utf8')
  switch (options.type) {
    case 'NO_AUTH':
      return undefined
    case 'SECRET_TEXT':
      return { type: 'SECRET_TEXT', secret_text: text }
    case 'BASIC_AUTH':
      return { type: 'BASIC_AUTH', username: options.username ?? '', password: text }
    default:
      return parseJson(stdin, 'The value on stdin') as ConnectionValue
  }
}

async function replacedField(
  connection: AppConnection,
  field: string | undefined,
  text: string,
  current: () => Promise<ConnectionValue>,
): Promise<ConnectionValue> {
  if (connection.type === 'SECRET_TEXT' && (field === undefined || field === 'secret_text')) {
    return { type: 'SECRET_TEXT', secret_text: text }
  }
  const name = field ?? defaultFieldOf(connection.type)
  if (!name)
    throw validationError(
      `Name the field stdin replaces with --field, or pass the whole value with --value-json.`,
    )
  const value = { ...(await current()) } as Record<string, unknown>
  if (Object.hasOwn(value, name) || !('props' in value)) value[name] = text
  else value.props = { ...(value.props as Record<string, unknown>), [name]: text }
  return value as ConnectionValue
}
