import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_PASSWORD } from '../support/vault'
import { buildTestCli, removeTestCli } from './support/latchkey-process'

// util-linux's `script` gives the command a real pseudo-terminal, as a person's terminal would.
const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0

let bundle = ''
let dataDir = ''

beforeAll(async () => {
  bundle = await buildTestCli()
  dataDir = mkdtempSync(join(tmpdir(), 'latchkey-prompt-'))
}, 60_000)

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true })
  removeTestCli(bundle)
})

/**
 * Runs latchkey on a pseudo-terminal and types `answers` one at a time, each only after a prompt
 * ending in ": " appeared (typed earlier, the terminal would still echo it); answers what showed.
 */
function onTerminal(
  args: string[],
  answers: string[],
  folder = dataDir,
): Promise<{ screen: string; code: number | null }> {
  const command = [process.execPath, bundle, '--data-dir', folder, ...args]
    .map((part) => `'${part}'`)
    .join(' ')
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LATCHKEY_'))),
  })
  let screen = ''
  let prompts = 0
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8')
    const seen = screen.split(': ').length - 1
    while (prompts < seen && prompts < answers.length) {
      // Prompts after the first arrive once the previous answer was read; type each once.
      child.stdin.write(`${answers[prompts]}\r`)
      prompts += 1
    }
  })
  return new Promise((resolve) => child.once('close', (code) => resolve({ screen, code })))
}

describe.skipIf(!hasScript)('the password prompt on a terminal', () => {
  it('init asks twice with echo off and creates the vault', async () => {
    const { screen, code } = await onTerminal(['init'], [TEST_PASSWORD, TEST_PASSWORD])
    expect(screen).toContain('New master password: ')
    expect(screen).toContain('Repeat it: ')
    expect(screen).not.toContain('horse')
    expect(code).toBe(0)
    expect(existsSync(join(dataDir, 'vault.sqlite'))).toBe(true)
  })

  it('a command asks for the master password with echo off and unlocks with it', async () => {
    const { screen, code } = await onTerminal(['list'], [TEST_PASSWORD])
    expect(screen).toContain('Latchkey master password: ')
    expect(screen).not.toContain('horse')
    expect(screen).toMatch(/ID\s+NAME\s+PIECE/)
    expect(code).toBe(0)
  })

  it('init refuses two different answers and creates nothing', async () => {
    const other = mkdtempSync(join(tmpdir(), 'latchkey-prompt-'))
    try {
      const { screen, code } = await onTerminal(['init'], [TEST_PASSWORD, `${TEST_PASSWORD}!`], other)
      expect(code).toBe(2)
      expect(screen).toContain('latchkey: VALIDATION: The two passwords differ; nothing was created.')
      expect(existsSync(join(other, 'vault.sqlite'))).toBe(false)
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })
})
