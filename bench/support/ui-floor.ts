// The UI benchmark's floor: the least a browser page can do to show the rows a keystroke asks
// for. A plain node:http server holds the same 100k connections (from the same dataset generator)
// as objects in an array, answers a name search with one pass over their lower-cased names and
// the first page of 50 matches as JSON; the page (no framework) fetches on each input event and
// writes the visible rows with one innerHTML. Same Chromium, same viewport, same detector.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGenerator, type DatasetSpec } from '../../test/support/dataset'

const PAGE = 50
const VISIBLE_ROWS = 30

const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>floor</title>
<style>body{font:13px system-ui;margin:0} .row{display:grid;grid-template-columns:3fr 2fr 1fr 1fr 1fr 2fr 2fr 1fr;height:36px;align-items:center;border-bottom:1px solid #ddd}</style>
</head><body>
<input type="search" aria-label="Search connections" id="q" autocomplete="off">
<div id="rows" data-generation="0"></div>
<script>
const rows = document.getElementById('rows')
const escape = (text) => String(text).replace(/[&<>"]/g, (c) => '&#' + c.charCodeAt(0) + ';')
let generation = 0
document.getElementById('q').addEventListener('input', async (event) => {
  const mine = ++generation
  const response = await fetch('/slice?q=' + encodeURIComponent(event.target.value.trim()))
  const { data } = await response.json()
  if (mine !== generation) return
  rows.innerHTML = data.slice(0, ${VISIBLE_ROWS}).map((row) => '<div class="row">' +
    [row.displayName, row.pieceName, row.type, row.status, row.scope, row.projectIds.join(', '), row.owner, row.updated]
      .map((cell) => '<span>' + escape(cell) + '</span>').join('') + '</div>').join('')
  rows.dataset.generation = String(mine)
})
</script></body></html>`

export interface UiFloor {
  url: string
  stop(): Promise<void>
}

export async function startUiFloor(spec: DatasetSpec): Promise<UiFloor> {
  const generate = createGenerator(spec)
  const rows = Array.from({ length: spec.connections }, (_unused, index) => {
    const { raw } = generate(index)
    return {
      id: `conn_${index}`,
      displayName: raw.displayName as string,
      pieceName: raw.pieceName as string,
      type: raw.type as string,
      status: 'ACTIVE',
      scope: raw.scope as string,
      projectIds: raw.projectIds as string[],
      owner: '',
      updated: new Date(Date.UTC(2025, 0, 1) + index * 30_000).toISOString(),
    }
  })
  const names = rows.map((row) => row.displayName.toLowerCase())
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://floor')
    if (url.pathname === '/slice') {
      const needle = (url.searchParams.get('q') ?? '').toLowerCase()
      // Newest first, as Latchkey's default sort.
      const data: (typeof rows)[number][] = []
      let total = 0
      for (let i = names.length - 1; i >= 0; i -= 1) {
        if (needle && !names[i]!.includes(needle)) continue
        total += 1
        if (data.length < PAGE) data.push(rows[i]!)
      }
      response.writeHead(200, { 'Content-Type': 'application/json' })
      response.end(JSON.stringify({ data, total }))
      return
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    response.end(HTML)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
