import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ACCEPTED_FINDINGS, EXCLUDED_CHECKS } from './electronegativity.config'

const repoRoot = resolve(__dirname, '..', '..', '..')
const scanner = join(repoRoot, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js')
/** The Electron the app ships with (its package.json is present even when the binary is not). */
const electronVersion = (
  JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
    version: string
  }
).version

interface SarifResult {
  ruleId: string
  message: { text: string }
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[]
}

interface Finding {
  check: string
  file: string
  line: number | undefined
  message: string
}

function runScanner(outputFile: string): Promise<{ code: number | null; output: string }> {
  const args = [
    scanner,
    '-i',
    'src',
    '-r',
    '-e',
    electronVersion,
    '-x',
    EXCLUDED_CHECKS.join(','),
    '-o',
    outputFile,
  ]
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.once('error', reject)
    child.once('exit', (code) => resolvePromise({ code, output }))
  })
}

function readFindings(sarifFile: string): Finding[] {
  const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as { runs: { results: SarifResult[] }[] }
  return sarif.runs.flatMap((run) =>
    run.results.map((result) => {
      const location = result.locations[0]?.physicalLocation
      return {
        check: result.ruleId,
        file: location?.artifactLocation.uri ?? '',
        line: location?.region?.startLine,
        message: result.message.text,
      }
    }),
  )
}

const isAccepted = (finding: Finding) =>
  ACCEPTED_FINDINGS.some((accepted) => accepted.check === finding.check && accepted.file === finding.file)

describe('Electronegativity scan of src/', () => {
  const work = mkdtempSync(join(tmpdir(), 'latchkey-electronegativity-'))
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  // The scan parses every source file; on two shared cores it takes up to ~20 s.
  it('reports nothing beyond the justified findings, and every justified one still applies', async () => {
    const sarifFile = join(work, 'findings.sarif')
    const { code, output } = await runScanner(sarifFile)
    expect(code, output).toBe(0)
    const findings = readFindings(sarifFile)

    const unexpected = findings.filter((finding) => !isAccepted(finding))
    expect(unexpected, 'new findings: fix them, or justify them in electronegativity.config.ts').toEqual([])

    const stale = ACCEPTED_FINDINGS.filter(
      (accepted) => !findings.some((f) => f.check === accepted.check && f.file === accepted.file),
    )
    expect(stale, 'justified findings the scan no longer reports: remove them from the list').toEqual([])
  }, 120_000)

  it('has a written justification for every finding it keeps', () => {
    for (const accepted of ACCEPTED_FINDINGS) {
      expect(accepted.justification.length, accepted.check).toBeGreaterThan(80)
    }
  })
})
