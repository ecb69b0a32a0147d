import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'

/**
 * Both hosts serve the renderer build from a folder: browser mode over HTTP, the desktop over
 * app://. This is their one path-containment rule. A URL path is refused, not repaired, when it
 * carries anything a well-behaved page never sends: a bad percent-escape, a NUL byte, a backslash
 * (a separator on Windows), a `.` or `..` segment (browsers collapse those before sending, so one
 * that arrives was encoded on purpose), or a drive letter.
 */
export function resolveServedPath(root: string, urlPath: string): string | null {
  const decoded = decodeUrlPath(urlPath)
  if (decoded === null) return null
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const segments = decoded.split('/').filter((segment) => segment !== '')
  if (segments.some((segment) => segment === '.' || segment === '..' || /^[a-z]:$/i.test(segment))) {
    return null
  }
  const rootPath = resolve(root)
  const candidate = join(rootPath, ...(segments.length === 0 ? ['index.html'] : segments))
  return isInsideRoot(rootPath, candidate) ? candidate : null
}

/**
 * A URL path's percent-escapes decoded, or null when one is malformed: a `%` without two hex
 * digits (`%`, `%E0%A4%A`, `%uD800`), or bytes that are not UTF-8 (`%ED%A0%80` encodes half a
 * surrogate pair). decodeURIComponent throws on each; every host refuses the request (404), never
 * repairs it or lets the throw become a 500.
 */
export function decodeUrlPath(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

/** Strictly below `root`: not root itself, and not a sibling whose name merely starts the same. */
export function isInsideRoot(root: string, candidate: string): boolean {
  const path = relative(resolve(root), resolve(candidate))
  return path !== '' && path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path)
}

/**
 * The file to serve for a URL path, or null (the caller answers 404). Symbolic links are followed
 * and must still land inside the root, so a link in the build cannot publish the rest of the disk.
 */
export async function resolveServedFile(root: string, urlPath: string): Promise<string | null> {
  const lexical = resolveServedPath(root, urlPath)
  if (!lexical) return null
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(lexical)])
    if (!isInsideRoot(realRoot, realFile)) return null
    return (await stat(realFile)).isFile() ? realFile : null
  } catch {
    return null
  }
}
