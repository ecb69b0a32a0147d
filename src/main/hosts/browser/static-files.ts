import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { resolveServedFile } from '../serve-path'

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
 * A file of the renderer build for a URL path, or nothing (the caller answers 404). Containment is
 * the rule both hosts share (serve-path.ts); the index is served for `/`.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  const filePath = await resolveServedFile(root, urlPath)
  if (!filePath) return null
  try {
    return {
      body: await readFile(filePath),
      contentType: CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream',
    }
  } catch {
    return null
  }
}
