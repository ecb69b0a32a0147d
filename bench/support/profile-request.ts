// Development aid, not a benchmark: the browser-mode request path of a keystroke, from Node with
// no Chromium. Each prefix of the UI bench's queries goes to connections.slice over Latchkey's HTTP
// server (with its Server-Timing phases), straight to the router in the same process (the slice
// alone), and to the UI floor's /slice, interleaved. The request path's own cost is HTTP minus
// the direct call. node --import tsx bench/support/profile-request.ts (ROUNDS=3 by default).
import { startBrowserServer } from '../../src/main/hosts/browser/server'
import { BENCH_PASSWORD, interleave, stats } from './harness'
import { copyOf, sharedVault } from './shared-vault'
import { startUiFloor } from './ui-floor'

const QUERIES = ['slack', 'google sheets', 'prod', 'zz']

function phasesOf(header: string | null): Record<string, number> {
  const phases: Record<string, number> = {}
  for (const part of (header ?? '').split(',')) {
    const match = /^\s*([\w-]+);dur=([\d.]+)/.exec(part)
    if (match) phases[match[1]!] = Number(match[2])
  }
  return phases
}

async function main(): Promise<void> {
  const template = await sharedVault()
  const copy = copyOf(template, 'request')
  const floor = await startUiFloor(template.spec)
  await copy.bench.call('vault.unlock', { password: BENCH_PASSWORD })
  await copy.bench.call('connections.list', { limit: 50 })
  await copy.bench.listReady()
  const server = await startBrowserServer({ core: copy.bench.core, rendererDir: copy.bench.dataDir, port: 0 })
  const origin = `http://127.0.0.1:${server.port}`
  const prefixes = QUERIES.flatMap((query) => [...query].map((_c, i) => query.slice(0, i + 1).trim()))
  const input = (i: number) => ({
    sort: 'updated',
    displayName: prefixes[i % prefixes.length],
    offset: 0,
    limit: 50,
  })
  const rounds = Number(process.env.ROUNDS ?? 3) * prefixes.length
  const phases: Record<string, number[]> = {}
  // Each side is timed first (its text new to the list's search) in alternate rounds, and second
  // (the same text again) in the others, so cold is compared with cold and warm with warm.
  const samples = { httpCold: [], httpWarm: [], directCold: [], directWarm: [] } as Record<string, number[]>
  const viaHttp = async (i: number): Promise<number> => {
    const sent = performance.now()
    const response = await fetch(`${origin}/api/rpc/connections.slice`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input(i)),
    })
    await response.json()
    const ms = performance.now() - sent
    for (const [name, dur] of Object.entries(phasesOf(response.headers.get('server-timing'))))
      (phases[`${name} (${i % 2 === 0 ? 'cold' : 'warm'})`] ??= []).push(dur)
    return ms
  }
  const direct = async (i: number): Promise<number> => {
    const start = performance.now()
    await copy.bench.call('connections.slice', input(i))
    return performance.now() - start
  }
  const times = await interleave(
    rounds,
    async (i) => {
      if (i % 2 === 0) {
        samples.httpCold!.push(await viaHttp(i))
        samples.directWarm!.push(await direct(i))
      } else {
        samples.directCold!.push(await direct(i))
        samples.httpWarm!.push(await viaHttp(i))
      }
    },
    async (i) => {
      const response = await fetch(
        `${floor.url}slice?q=${encodeURIComponent(prefixes[i % prefixes.length]!)}`,
      )
      await response.json()
    },
  )
  const show = (label: string, values: number[]) => {
    const { p50Ms, p95Ms } = stats(values)
    console.log(`${label.padEnd(34)} p50 ${p50Ms.toFixed(2)} ms, p95 ${p95Ms.toFixed(2)} ms`)
  }
  for (const [name, values] of Object.entries(samples)) show(`latchkey ${name}`, values)
  show('floor HTTP', times.floor)
  for (const [name, values] of Object.entries(phases)) show(`  server-timing ${name}`, values)
  await server.close()
  await floor.stop()
  await copy.dispose()
}

void main()
