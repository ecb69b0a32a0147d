import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface LauncherFile {
  path: string
  remove(): void
}

/**
 * Browser mode's URL carries the session token (`#token=…`). Handed to xdg-open, open or rundll32
 * it would sit on a command line that every local user can read, so the opener gets the path of a
 * small HTML page instead, which moves the browser on to the URL. The page lives in a fresh 0700
 * folder (mkdtemp) and is itself 0600, so only this user can read it. (On Windows the per-user temp
 * folder's ACL does the same job; the modes are ignored there.)
 */
export function writeLauncherFile(url: string, parentDir: string = tmpdir()): LauncherFile {
  const dir = mkdtempSync(join(parentDir, 'latchkey-open-'))
  const path = join(dir, 'open-latchkey.html')
  writeFileSync(path, launcherPage(url), { mode: 0o600, flag: 'wx' })
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

function launcherPage(url: string): string {
  const href = escapeHtml(url)
  return [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${href}">`,
    '<title>Opening Latchkey…</title>',
    `<p><a href="${href}">Open Latchkey</a></p>`,
    '',
  ].join('\n')
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
