import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isInsideRoot, resolveServedFile, resolveServedPath } from '../../../src/main/hosts/serve-path'

describe('which path the renderer handlers may serve', () => {
  let base: string
  let root: string

  beforeAll(() => {
    // out/renderer beside out/renderer-evil: a prefix check on the string would let the sibling through.
    base = realpathSync(mkdtempSync(join(tmpdir(), 'latchkey-serve-')))
    root = join(base, 'renderer')
    mkdirSync(join(root, 'assets'), { recursive: true })
    mkdirSync(join(base, 'renderer-evil'))
    writeFileSync(join(root, 'index.html'), '<!doctype html>')
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(base, 'renderer-evil', 'secret.txt'), 'secret')
    writeFileSync(join(base, 'outside.txt'), 'outside')
    symlinkSync(join(base, 'outside.txt'), join(root, 'link-out.txt'))
    symlinkSync(join(base, 'renderer-evil'), join(root, 'dir-out'))
    symlinkSync(join(root, 'assets', 'app.js'), join(root, 'link-in.js'))
  })

  afterAll(() => rmSync(base, { recursive: true, force: true }))

  it('serves the index for / and files of the build', async () => {
    expect(await resolveServedFile(root, '/')).toBe(join(root, 'index.html'))
    expect(await resolveServedFile(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'))
    expect(await resolveServedFile(root, '/assets%2Fapp.js')).toBe(join(root, 'assets', 'app.js'))
  })

  it('refuses dot-dot segments, plain or percent-encoded', async () => {
    for (const path of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/%2E%2E/%2e%2e/etc/passwd',
      '/assets/%2e%2e/%2e%2e/outside.txt',
      '/..%2foutside.txt',
      '/..%2Frenderer-evil%2Fsecret.txt',
      '/./index.html',
    ]) {
      expect(resolveServedPath(root, path), path).toBeNull()
      expect(await resolveServedFile(root, path), path).toBeNull()
    }
  })

  it('refuses backslashes, NUL bytes, drive letters and broken escapes', () => {
    for (const path of [
      '/..\\outside.txt',
      '/%5c..%5coutside.txt',
      '/assets\\app.js',
      '/index.html%00.js',
      '/index.html\0',
      '/C:/Windows/win.ini',
      '/c%3a/Windows/win.ini',
      '/%E0%A4%A',
      '/%',
    ]) {
      expect(resolveServedPath(root, path), path).toBeNull()
    }
  })

  it('keeps an absolute path inside the root', () => {
    expect(resolveServedPath(root, '//etc/passwd')).toBe(join(root, 'etc', 'passwd'))
    expect(resolveServedPath(root, `/${base}/outside.txt`)).toBe(join(root, base, 'outside.txt'))
  })

  it('treats a sibling folder whose name starts with the root’s as outside', () => {
    expect(isInsideRoot(root, join(base, 'renderer-evil', 'secret.txt'))).toBe(false)
    expect(isInsideRoot(root, root)).toBe(false)
    expect(isInsideRoot(root, join(root, '..foo'))).toBe(true)
    expect(isInsideRoot(root, join(root, 'assets', 'app.js'))).toBe(true)
  })

  it('follows symbolic links only while they stay inside the root', async () => {
    expect(await resolveServedFile(root, '/link-out.txt')).toBeNull()
    expect(await resolveServedFile(root, '/dir-out/secret.txt')).toBeNull()
    expect(await resolveServedFile(root, '/link-in.js')).toBe(join(root, 'assets', 'app.js'))
  })

  it('serves no folder and no missing file', async () => {
    expect(await resolveServedFile(root, '/assets')).toBeNull()
    expect(await resolveServedFile(root, '/missing.js')).toBeNull()
  })
})
