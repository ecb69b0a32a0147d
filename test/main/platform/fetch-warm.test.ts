import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

// Node loads its fetch machinery (undici) at the first use, synchronously: a long-running host
// loads it in a turn of its own right after start-up instead of at sync's first request after an
// unlock. Observed in a fresh process, where nothing has loaded it yet.
describe('warming the platform fetch', () => {
  it('loads undici in the next turn, not in the call itself, and not before it', () => {
    const script = `
      import('./src/main/platform/fetch.ts').then((module) => {
        const loaded = () => process.moduleLoadList.some((name) => name.includes('undici'))
        const before = loaded()
        ;(module.warmPlatformFetch ?? module.default.warmPlatformFetch)()
        const inCall = loaded()
        setImmediate(() => setImmediate(() => console.log(JSON.stringify({ before, inCall, after: loaded() }))))
      })`
    const output = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' })
    expect(JSON.parse(output)).toEqual({ before: false, inCall: false, after: true })
  })
})
