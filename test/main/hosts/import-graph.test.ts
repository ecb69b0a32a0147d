import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const repoRoot = resolve(__dirname, '..', '..', '..')

/**
 * Every module a source file reaches through static imports: the files of this repository it
 * loads and the packages it names. This is what a bundler follows, so a package missing here is
 * missing from that entry's bundle, without building it.
 */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const pending = [resolve(repoRoot, entry)]
  while (pending.length > 0) {
    const file = pending.pop()!
    if (files.has(file)) continue
    files.add(file)
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const { fileName: specifier } of importedFiles) {
      if (!specifier.startsWith('.')) {
        packages.add(specifier.startsWith('node:') ? specifier : packageName(specifier))
        continue
      }
      pending.push(resolveSource(join(dirname(file), specifier)))
    }
  }
  return { files: new Set([...files].map((file) => relative(repoRoot, file))), packages }
}

function resolveSource(base: string): string {
  const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  )
  if (!found) throw new Error(`Cannot resolve ${relative(repoRoot, base)}`)
  return found
}

function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

describe('each host loads only its own platform code', () => {
  it('keeps browser mode’s keyring keeper out of the desktop app', () => {
    const desktop = importGraph('src/main/index.ts')
    expect(desktop.packages).toContain('electron')
    expect(desktop.files).toContain('src/main/hosts/desktop/safe-storage-keeper.ts')
    expect(desktop.packages).not.toContain('@napi-rs/keyring')
    expect(desktop.files).not.toContain('src/main/platform/keyring-keeper.ts')
  })

  it('gives browser mode the keyring keeper and no electron', () => {
    const browser = importGraph('src/main/hosts/browser/entry.ts')
    expect(browser.packages).toContain('@napi-rs/keyring')
    expect(browser.packages).not.toContain('electron')
  })

  it('keeps every desktop decision free of electron, so Node can test it', () => {
    for (const guard of [
      'src/main/hosts/desktop/app-origin.ts',
      'src/main/hosts/desktop/navigation.ts',
      'src/main/hosts/desktop/trusted-sender.ts',
      'src/main/hosts/desktop/renderer-source.ts',
      'src/main/hosts/desktop/permissions.ts',
      'src/main/hosts/external-urls.ts',
      'src/main/hosts/serve-path.ts',
    ]) {
      expect(importGraph(guard).packages, guard).not.toContain('electron')
    }
  })
})
