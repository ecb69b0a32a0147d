import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

export interface StaticFile {
  body: Buffer
  contentType: string
}

/**
 * Resolves a URL path inside the renderer build. Anything that would escape the folder, or names
 * no file, falls back to nothing: the caller answers 404. The index is served for `/`.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const relative = decoded === '/' ? 'index.html' : normalize(decoded).replace(/^([/\\])+/, '')
  const rootPath = resolve(root)
  const filePath = resolve(join(rootPath, relative))
  if (filePath !== rootPath && !filePath.startsWith(rootPath + sep)) return null
  try {
    const info = await stat(filePath)
    if (!info.isFile()) return null
    return {
      body: await readFile(filePath),
      contentType: CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream',
    }
  } catch {
    return null
  }
}
