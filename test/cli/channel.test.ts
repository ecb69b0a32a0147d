import { spawnSync } from 'node:child_process'
import { chmodSync, statSync } from 'node:fs'
import { connect } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectToApp, type ChannelAsk } from '../../src/main/cli/client/channel-client'
import type { VaultClient } from '../../src/main/cli/client/vault-client'
import { startCliChannel, type RunningCliChannel } from '../../src/main/hosts/cli-channel/server'
import { silentLogger } from '../../src/main/platform/logger'
import { CLI_REQUEST_TIMEOUT_MS, type CliSessionRequest } from '../../src/shared/contract/cli'
import { createManualClock, type ManualClock } from '../support/manual-clock'
import { createUnlockedTestCore, TEST_PASSWORD, type UnlockedTestCore } from '../support/vault'

const MINUTE = 60_000

let clock: ManualClock
let vault: UnlockedTestCore
let channel: RunningCliChannel
const clients: VaultClient[] = []

beforeEach(async () => {
  clock = createManualClock()
  vault = await createUnlockedTestCore({ clock })
  // The vault's own idle lock would end the sessions first; these tests are about the CLI's.
  await vault.call('settings.set', { autoLockMinutes: 0 })
  channel = await startCliChannel({ core: vault.core, dataDir: vault.dataDir, logger: silentLogger })
})

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close()
  await channel.close()
  await vault.dispose()
})

const ask = (terminalKey = 'sid:1:100'): ChannelAsk => ({
  identity: { terminalKey, terminal: '/dev/pts/9' },
  command: 'latchkey list',
  onWaiting: () => {},
})

async function pendingRequests(count = 1): Promise<CliSessionRequest[]> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const requests = await vault.call<CliSessionRequest[]>('cli.requests')
    if (requests.length >= count) return requests
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('no request arrived')
}

/** Connects as a CLI would and lets the person answer the request it raises. */
async function connectAnswered(approve: boolean, terminalKey?: string): Promise<VaultClient> {
  const connecting = connectToApp(vault.dataDir, ask(terminalKey))
  const [request] = await pendingRequests()
  await vault.call('cli.answer', { requestId: request!.requestId, approve })
  const client = await connecting
  if (!client) throw new Error('no channel')
  clients.push(client)
  return client
}

describe('the CLI channel', () => {
  it('asks the person once per terminal, showing what asks, then serves calls', async () => {
    const connecting = connectToApp(vault.dataDir, ask())
    const [request] = await pendingRequests()
    expect(request).toMatchObject({ command: 'latchkey list', terminal: '/dev/pts/9', pid: process.pid })
    await vault.call('cli.answer', { requestId: request!.requestId, approve: true })
    const client = (await connecting)!
    clients.push(client)
    expect(client.holder).toEqual({ kind: 'app', pid: process.pid })
    expect((await client.call('vault.status', {})).state).toBe('unlocked')

    const again = (await connectToApp(vault.dataDir, ask()))!
    clients.push(again)
    expect(await vault.call('cli.requests')).toEqual([])
    expect((await again.call('connections.list', {})).data).toEqual([])
  })

  it('refuses a denied terminal with AUTHENTICATION', async () => {
    await expect(connectAnswered(false)).rejects.toMatchObject({ code: 'AUTHENTICATION' })
  })

  it('denies a request nobody answers within two minutes', async () => {
    const connecting = connectToApp(vault.dataDir, ask())
    await pendingRequests()
    clock.advance(CLI_REQUEST_TIMEOUT_MS)
    await expect(connecting).rejects.toMatchObject({ code: 'AUTHENTICATION' })
    expect(await vault.call('cli.requests')).toEqual([])
  })

  it('ends a session after 10 minutes without a call, and asks again', async () => {
    const client = await connectAnswered(true)
    clock.advance(9 * MINUTE)
    await expect(client.call('vault.status', {})).resolves.toMatchObject({ state: 'unlocked' })
    clock.advance(9 * MINUTE)
    await expect(client.call('vault.status', {})).resolves.toMatchObject({ state: 'unlocked' })
    clock.advance(10 * MINUTE)
    await expect(client.call('vault.status', {})).rejects.toMatchObject({ code: 'AUTHENTICATION' })
    const asking = connectToApp(vault.dataDir, ask())
    expect(await pendingRequests()).toHaveLength(1)
    asking.catch(() => {})
  })

  it('ends a session after 12 hours however busy it is', async () => {
    const client = await connectAnswered(true)
    for (let elapsed = 0; elapsed < 12 * 60 - 9; elapsed += 9) {
      clock.advance(9 * MINUTE)
      await client.call('vault.status', {})
    }
    clock.advance(9 * MINUTE)
    await expect(client.call('vault.status', {})).rejects.toMatchObject({ code: 'AUTHENTICATION' })
  })

  it('refuses everything once the app locks, saying so, and needs a new approval after unlock', async () => {
    const client = await connectAnswered(true)
    await vault.call('vault.lock')
    await expect(client.call('connections.list', {})).rejects.toMatchObject({
      code: 'VAULT_LOCKED',
      params: { message: expect.stringContaining('locked') },
    })
    await expect(connectToApp(vault.dataDir, ask())).rejects.toMatchObject({ code: 'VAULT_LOCKED' })
    expect(await vault.call('cli.requests')).toEqual([])

    await vault.call('vault.unlock', { password: TEST_PASSWORD })
    const asking = connectToApp(vault.dataDir, ask())
    expect(await pendingRequests()).toHaveLength(1)
    asking.catch(() => {})
  })

  it('denies waiting requests when the app locks', async () => {
    const connecting = connectToApp(vault.dataDir, ask())
    await pendingRequests()
    await vault.call('vault.lock')
    await expect(connecting).rejects.toMatchObject({ code: 'AUTHENTICATION' })
  })

  it('never lets a command line answer approval requests', async () => {
    const client = await connectAnswered(true)
    const other = connectToApp(vault.dataDir, ask('sid:2:200'))
    const [request] = await pendingRequests()
    await expect(
      client.call('cli.answer', { requestId: request!.requestId, approve: true }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(client.call('cli.requests', {})).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await pendingRequests()).toHaveLength(1)
    other.catch(() => {})
  })

  it('answers every waiting command of one terminal at once: one dialog for a script', async () => {
    const first = connectToApp(vault.dataDir, ask())
    const second = connectToApp(vault.dataDir, ask())
    const requests = await pendingRequests(2)
    await vault.call('cli.answer', { requestId: requests[0]!.requestId, approve: true })
    for (const client of await Promise.all([first, second])) {
      clients.push(client!)
      expect((await client!.call('vault.status', {})).state).toBe('unlocked')
    }
    expect(await vault.call('cli.requests')).toEqual([])
  })

  it('is not taken over by a second app on the same data folder', async () => {
    await expect(
      startCliChannel({ core: vault.core, dataDir: vault.dataDir, logger: silentLogger }),
    ).rejects.toThrow('Another Latchkey process serves')
    const client = await connectAnswered(true)
    expect((await client.call('vault.status', {})).state).toBe('unlocked')
  })

  it('refuses a call before the hello is approved', async () => {
    const socket = connect(channel.location.path)
    const reply = await new Promise<string>((resolve) => {
      let text = ''
      socket.on('data', (chunk) => (text += chunk.toString()))
      socket.on('close', () => resolve(text))
      socket.write(`${JSON.stringify({ kind: 'call', id: 1, name: 'connections.list', input: {} })}\n`)
    })
    expect(JSON.parse(reply)).toMatchObject({ kind: 'refused', error: { code: 'AUTHENTICATION' } })
  })
})

describe('who can reach the channel', () => {
  it('is a 0600 socket in a 0700 folder owned by this user', () => {
    const folder = statSync(channel.location.directory!)
    const socket = statSync(channel.location.path)
    expect(socket.isSocket()).toBe(true)
    expect(folder.mode & 0o777).toBe(0o700)
    expect(socket.mode & 0o777).toBe(0o600)
    expect(folder.uid).toBe(process.getuid!())
    expect(socket.uid).toBe(process.getuid!())
  })

  it('stops serving when the folder is opened to others, and the CLI refuses to use it', async () => {
    chmodSync(channel.location.directory!, 0o755)
    await expect(connectToApp(vault.dataDir, ask())).rejects.toMatchObject({
      code: 'FORBIDDEN',
      params: { message: expect.stringContaining('other users (mode 755)') },
    })
    const socket = connect(channel.location.path)
    const reply = await new Promise<string>((resolve) => {
      let text = ''
      socket.on('data', (chunk) => (text += chunk.toString()))
      socket.on('close', () => resolve(text))
      socket.on('error', () => resolve(text))
      socket.write(
        `${JSON.stringify({ kind: 'hello', pid: 1, command: 'x', terminalKey: 'k', terminal: null })}\n`,
      )
    })
    expect(reply).toBe('')
    expect(await vault.call('cli.requests')).toEqual([])
  })

  it.skipIf(process.getuid?.() !== 0)('refuses another local user at connect (EACCES)', () => {
    const probe = `require('net').connect(${JSON.stringify(channel.location.path)}).on('connect', () => { console.log('connected'); process.exit(0) }).on('error', (e) => { console.log(e.code); process.exit(0) })`
    const result = spawnSync(process.execPath, ['-e', probe], {
      uid: 65534,
      gid: 65534,
      cwd: '/',
      encoding: 'utf8',
    })
    expect(result.stdout.trim()).toBe('EACCES')
  })
})
