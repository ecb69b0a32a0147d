import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const MAIN = resolve(__dirname, '..', '..', '..', 'src', 'main')

/** Folders that hold interfaces and their implementations: below every domain, above nothing. */
const BOTTOM_LAYERS: Record<string, readonly string[]> = {
  adapters: [],
  platform: ['adapters'],
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** A file's top folder under src/main; files directly in src/main (core.ts, index.ts) compose the rest. */
function folderOf(path: string): string | null {
  const parts = relative(MAIN, path).split(sep)
  return parts.length > 1 ? parts[0]! : null
}

/** Folder → folders it imports from, read with TypeScript's own scanner (static, re-export and dynamic imports). */
function folderGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>()
  for (const file of sourceFiles(MAIN)) {
    const from = folderOf(file)
    if (!from) continue
    const edges = graph.get(from) ?? new Map<string, string[]>()
    graph.set(from, edges)
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue
      const target = resolve(dirname(file), fileName)
      if (!target.startsWith(MAIN + sep)) continue
      const to = folderOf(target)
      if (!to || to === from) continue
      edges.set(to, [...(edges.get(to) ?? []), relative(MAIN, file)])
    }
  }
  return graph
}

/** Every cycle as a readable path ("vault → audit → vault"), found by depth-first search. */
function cycles(graph: Map<string, Map<string, string[]>>): string[] {
  const found = new Set<string>()
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node)?.keys() ?? []) {
      const at = path.indexOf(next)
      if (at >= 0) {
        const loop = path.slice(at)
        const start = loop.indexOf([...loop].sort()[0]!)
        const rotated = [...loop.slice(start), ...loop.slice(0, start)]
        found.add([...rotated, rotated[0]].join(' → '))
      } else visit(next, [...path, next])
    }
  }
  for (const node of graph.keys()) visit(node, [node])
  return [...found].sort()
}

describe('folder dependencies in src/main', () => {
  const graph = folderGraph()

  it('reads the imports it checks (vault imports audit, platform imports adapters)', () => {
    expect(graph.get('vault')?.has('audit')).toBe(true)
    expect(graph.get('platform')?.has('adapters')).toBe(true)
  })

  it('has no cycle between folders', () => {
    expect(cycles(graph)).toEqual([])
  })

  it('keeps adapters and platform below every domain folder', () => {
    const upward = Object.entries(BOTTOM_LAYERS).flatMap(([folder, allowed]) =>
      [...(graph.get(folder)?.entries() ?? [])]
        .filter(([to]) => !allowed.includes(to))
        .map(([to, files]) => `${folder} → ${to} (${files.join(', ')})`),
    )
    expect(upward).toEqual([])
  })

  it('finds a cycle when one exists, so a pass means something', () => {
    const looped = new Map([
      ['vault', new Map([['audit', ['vault/a.ts']]])],
      ['audit', new Map([['vault', ['audit/b.ts']]])],
    ])
    expect(cycles(looped)).toEqual(['audit → vault → audit'])
  })
})
