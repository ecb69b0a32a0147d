import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CliResult, RunOptions } from './latchkey-process'
import { ERROR_LINE } from './latchkey-process'

/** A vault that exists and can be unlocked, reached by `latchkey` child processes one way or another. */
export interface CliHarness {
  run(args: string[], options?: RunOptions): Promise<CliResult>
  /** Records an active flow's reference to a connection, as sync would (there is no CLI command for it). */
  linkFlow(connectionId: string, flowId: string): Promise<void>
}

/** Bytes a shell would mangle: CRLF, a trailing newline, a tab, non-ASCII, no final newline after it. */
export const MULTI_LINE_SECRET = '-----BEGIN KEY-----\r\nline two\twith tab\nünïcødé ✓\n\n-----END KEY-----\n'

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

const ok = (result: CliResult) => {
  expect(result.stderr.replace(/^Waiting for you.*\n/m, ''), result.stderr).toBe('')
  expect(result.code).toBe(0)
  return result
}

const parsed = <T>(result: CliResult): T => JSON.parse(ok(result).text) as T

/**
 * Every command of the CLI against one vault, in order (later steps use earlier ones' rows). Run
 * once with the CLI opening the vault itself and once with browser mode holding it.
 */
export function describeEveryCommand(getHarness: () => CliHarness): void {
  let keyId = ''
  let otherId = ''

  describe('every command', () => {
    it('status says the vault exists', async () => {
      const status = parsed<{ state: string; path: string }>(await getHarness().run(['status', '--json']))
      expect(['locked', 'unlocked']).toContain(status.state)
      expect(status.path).toMatch(/vault\.sqlite$/)
    })

    it('set stores a secret from stdin byte for byte; get shows metadata only', async () => {
      const { run } = getHarness()
      const created = parsed<{ connection: { id: string; externalId: string }; created: boolean }>(
        await run(
          ['set', '--name', 'Signing key', '--piece', 'github', '--external-id', 'signing-key', '--json'],
          {
            input: MULTI_LINE_SECRET,
          },
        ),
      )
      expect(created.created).toBe(true)
      keyId = created.connection.id
      const byId = await run(['get', keyId])
      expect(ok(byId).text).toContain('Signing key')
      expect(byId.text).not.toContain('line two')
      const byExternalId = parsed<{ id: string }>(await run(['get', 'signing-key', '--json']))
      expect(byExternalId.id).toBe(keyId)
    })

    it('reveal prints one field raw, with no newline added, byte-exact for a multi-line value', async () => {
      const { run } = getHarness()
      const revealed = ok(await run(['reveal', 'signing-key']))
      expect(revealed.stdout.equals(Buffer.from(MULTI_LINE_SECRET, 'utf8'))).toBe(true)
      const field = ok(await run(['reveal', keyId, '--field', 'secret_text']))
      expect(field.stdout.equals(Buffer.from(MULTI_LINE_SECRET, 'utf8'))).toBe(true)
      const missing = await run(['reveal', keyId, '--field', 'nope'])
      expect(missing.code).toBe(4)
      expect(missing.stderr).toMatch(ERROR_LINE)
    })

    it('set --stdin-json takes seed-shape connections; list pages, filters and --all', async () => {
      const { run } = getHarness()
      const seeds = Array.from({ length: 120 }, (_, index) => ({
        displayName: `Bulk ${String(index).padStart(3, '0')}`,
        pieceName: 'slack',
        pieceVersion: '1.0.0',
        type: 'BASIC_AUTH',
        externalId: `bulk-${index}`,
        value: { type: 'BASIC_AUTH', username: `user${index}`, password: `pw${index}` },
      }))
      const results = parsed<{ created: boolean }[]>(
        await run(['set', '--stdin-json', '--json'], { input: JSON.stringify(seeds) }),
      )
      expect(results).toHaveLength(120)
      otherId = parsed<{ id: string }>(await run(['get', 'bulk-7', '--json'])).id

      const page = parsed<{ data: { id: string }[]; more: boolean }>(
        await run(['list', '--limit', '5', '--json']),
      )
      expect(page.data).toHaveLength(5)
      expect(page.more).toBe(true)
      // More than one page of 100 is fetched and joined, in order.
      const longer = parsed<{ data: { id: string }[] }>(await run(['list', '--limit', '150', '--json']))
      expect(longer.data).toHaveLength(121)
      expect(longer.data.slice(0, 5)).toEqual(page.data)

      const all = parsed<{ data: { id: string; pieceName: string }[]; more: boolean }>(
        await run(['list', '--all', '--json']),
      )
      expect(all.data).toHaveLength(121)
      expect(new Set(all.data.map((c) => c.id)).size).toBe(121)
      expect(all.more).toBe(false)

      const slack = parsed<{ data: unknown[] }>(await run(['list', '--piece', 'slack', '--all', '--json']))
      expect(slack.data).toHaveLength(120)
      const named = parsed<{ data: { displayName: string }[] }>(
        await run(['list', '--name', 'signing', '--json']),
      )
      expect(named.data.map((c) => c.displayName)).toEqual(['Signing key'])

      const human = ok(await run(['list', '--name', 'bulk 01', '--sort', 'displayName']))
      expect(human.text.split('\n')[0]).toMatch(/^ID\s+NAME\s+PIECE\s+TYPE\s+STATUS\s+UPDATED$/)
      expect(human.text).toContain('Bulk 010')
      expect(human.text).not.toContain('pw10')
    })

    it('rotate replaces the secret from stdin; update renames', async () => {
      const { run } = getHarness()
      ok(await run(['rotate', 'bulk-7'], { input: 'new-password\n' }))
      expect(ok(await run(['reveal', otherId])).text).toBe('new-password\n')
      expect(ok(await run(['reveal', otherId, '--field', 'username'])).text).toBe('user7')
      const renamed = parsed<{ displayName: string }>(
        await run(['update', otherId, '--name', 'Renamed', '--json']),
      )
      expect(renamed.displayName).toBe('Renamed')
    })

    it('rm refuses a connection active flows use, unless --force leaves a placeholder', async () => {
      const { run, linkFlow } = getHarness()
      const target = parsed<{ id: string }>(await run(['get', 'bulk-1', '--json'])).id
      await linkFlow(target, 'flow-in-use')
      const refused = await run(['rm', target])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(ERROR_LINE)
      expect(refused.stderr).toMatch(/^latchkey: VALIDATION: .*active flow/)
      const forced = parsed<{ deleted: boolean; placeholder: { status: string } | null }>(
        await run(['rm', target, '--force', '--json']),
      )
      expect(forced.placeholder?.status).toBe('MISSING')
      const plain = parsed<{ placeholder: null }>(await run(['rm', 'bulk-2', '--json']))
      expect(plain.placeholder).toBeNull()
      expect((await run(['get', 'bulk-2'])).code).toBe(4)
    })

    it('replace moves flow references from SOURCE to TARGET', async () => {
      const { run, linkFlow } = getHarness()
      const source = parsed<{ id: string }>(await run(['get', 'bulk-3', '--json'])).id
      await linkFlow(source, 'flow-moving')
      const moved = parsed<{ movedFlowReferences: number }>(
        await run(['replace', 'bulk-3', 'bulk-4', '--json']),
      )
      expect(moved.movedFlowReferences).toBe(1)
      expect(parsed<{ flowIds: string[] }>(await run(['get', 'bulk-4', '--json'])).flowIds).toEqual([
        'flow-moving',
      ])
    })

    it('owners lists the owners', async () => {
      expect(Array.isArray(parsed<unknown[]>(await getHarness().run(['owners', '--all', '--json'])))).toBe(
        true,
      )
    })

    it('policies set, list and resolve', async () => {
      const { run } = getHarness()
      const policy = parsed<{ type: string; connectionId: string }>(
        await run(['policies', 'set', 'github', 'proj-1', 'ENFORCED_ORG', 'signing-key', '--json']),
      )
      expect(policy).toMatchObject({ type: 'ENFORCED_ORG', connectionId: keyId })
      const list = parsed<{ pieceName: string }[]>(await run(['policies', 'list', '--json']))
      expect(list.map((p) => p.pieceName)).toEqual(['github'])
      const resolved = parsed<{ connection: { id: string } }>(
        await run(['policies', 'resolve', 'github', 'proj-1', '--json']),
      )
      expect(resolved.connection.id).toBe(keyId)
      expect((await run(['policies', 'set', 'github', 'proj-1', 'NOT_A_TYPE'])).code).toBe(2)
    })

    it('audit lists the CLI’s own changes and --verify checks the chain', async () => {
      const { run } = getHarness()
      const entries = parsed<{ action: string; origin: string }[]>(
        await run(['audit', '--limit', '200', '--json']),
      )
      expect(entries.some((e) => e.action === 'connection.rotate' && e.origin === 'cli')).toBe(true)
      const verified = parsed<{ ok: boolean; checked: number }>(await run(['audit', '--verify', '--json']))
      expect(verified.ok).toBe(true)
      expect(verified.checked).toBeGreaterThan(100)
    })

    it('run puts the secret only in the child’s environment, never in its or latchkey’s argv', async () => {
      const { run } = getHarness()
      // The child reports a hash of what it got and whether the secret is in either command line.
      const probe = `
        const fs = require('node:fs'); const crypto = require('node:crypto')
        const secret = process.env.SIGNING_KEY
        const cmdline = (pid) => fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8')
        const parent = cmdline(process.ppid)
        process.stdout.write(JSON.stringify({
          sha: crypto.createHash('sha256').update(secret, 'utf8').digest('hex'),
          inOwnArgv: cmdline(process.pid).includes(secret),
          inParentArgv: parent.includes(secret),
          parentIsLatchkey: parent.includes('run') && parent.includes('SIGNING_KEY=signing-key'),
          password: process.env.LATCHKEY_PASSWORD ?? null,
        }))`
      const report = parsed<Record<string, unknown>>(
        await run(['run', '--env', 'SIGNING_KEY=signing-key', '--', process.execPath, '-e', probe]),
      )
      expect(report).toEqual({
        sha: sha256(MULTI_LINE_SECRET),
        inOwnArgv: false,
        inParentArgv: false,
        parentIsLatchkey: true,
        password: null,
      })
    })

    it('run reads a .env template of latchkey:// references and passes other values as they are', async () => {
      const { run } = getHarness()
      const folder = mkdtempSync(join(tmpdir(), 'latchkey-env-'))
      const template = join(folder, '.env.tpl')
      writeFileSync(
        template,
        `# for the test\nUSER=latchkey://${otherId}/username\nPASS=latchkey://${otherId}\nPLAIN="as is"\n`,
      )
      const child = ok(
        await run([
          'run',
          '--env-file',
          template,
          '--',
          process.execPath,
          '-e',
          'process.stdout.write([process.env.USER, process.env.PASS, process.env.PLAIN].join("|"))',
        ]),
      )
      expect(child.text).toBe('user7|new-password\n|as is')
      const exit = await run([
        'run',
        '--env',
        'X=signing-key',
        '--',
        process.execPath,
        '-e',
        'process.exit(7)',
      ])
      expect(exit.code).toBe(7)
    })

    it('errors are one line with the contract code and the documented exit code', async () => {
      const { run } = getHarness()
      const missing = await run(['get', 'no-such-connection'])
      expect(missing.code).toBe(4)
      expect(missing.stderr).toBe(
        'latchkey: ENTITY_NOT_FOUND: No connection has the id or externalId “no-such-connection”.\n',
      )
      const usage = await run(['list', '--sort', 'sideways'])
      expect(usage.code).toBe(2)
      const invalid = await run(['set', '--name', 'x', '--piece', 'y', '--type', 'BASIC_AUTH'], {
        input: 'pw',
      })
      expect(invalid.code).toBe(2)
      expect(invalid.stderr).toMatch(/^latchkey: VALIDATION: /)
      expect(invalid.stderr).toMatch(ERROR_LINE)
      const help = ok(await run(['rotate', '--help']))
      expect(help.text).toContain('Usage: latchkey rotate')
    })

    it('sync, export and import run when the contract has their procedures, else say they are unavailable', async () => {
      const { run } = getHarness()
      const envFile = join(mkdtempSync(join(tmpdir(), 'latchkey-import-')), 'import.env')
      writeFileSync(envFile, 'IMPORTED_TOKEN=abc123\n')
      const commands = [
        ['sync'],
        ['export', '--yes', '--format', 'env'],
        ['import', '--dry-run', '--format', 'env', '--piece', 'imported', envFile],
      ]
      for (const args of commands) {
        const result = await run(args, { env: { LATCHKEY_PASSWORD: 'correct horse battery staple' } })
        if (result.code === 0) continue
        expect(result.code, result.stderr).toBe(1)
        expect(result.stderr).toMatch(ERROR_LINE)
      }
    })
  })
}
