import { describe, expect, it } from 'vitest'
import { pooledRandomBytes } from '../../../src/main/platform/random'

// The pooled CSPRNG behind every id and nonce: each byte the source produces is handed out at most
// once, in order, and what was handed out is not left in the pool.

/** A fake CSPRNG whose output is a counter, so any byte handed out twice would show. */
function countingFill() {
  let next = 0
  const calls: number[] = []
  return {
    calls,
    fill(buffer: Buffer) {
      calls.push(buffer.length)
      for (let i = 0; i < buffer.length; i += 1) buffer[i] = next++ % 256
    },
  }
}

describe('pooledRandomBytes', () => {
  it('hands out the source stream once, in order, refilling 4 KiB at a time', () => {
    const source = countingFill()
    const random = pooledRandomBytes((buffer) => source.fill(buffer))
    const drawn: Buffer[] = []
    for (let i = 0; i < 700; i += 1) drawn.push(random(12))
    const stream = Buffer.concat(drawn)
    // 341 draws of 12 fit in a pool of 4096; the last 4 bytes of each pool are skipped, never reused.
    const perPool = Math.floor(4096 / 12)
    drawn.forEach((bytes, index) => {
      const pool = Math.floor(index / perPool)
      const start = pool * 4096 + (index % perPool) * 12
      expect([...bytes]).toEqual(Array.from({ length: 12 }, (_, i) => (start + i) % 256))
    })
    expect(stream.length).toBe(700 * 12)
    expect(source.calls).toEqual([4096, 4096, 4096])
  })

  it('gives each caller its own copy, and draws a large request directly', () => {
    const source = countingFill()
    const random = pooledRandomBytes((buffer) => source.fill(buffer))
    const first = random(16)
    const copy = Buffer.from(first)
    first.fill(0xff)
    const second = random(16)
    expect(second.equals(copy)).toBe(false)
    expect(random(2048)).toHaveLength(2048)
    expect(source.calls).toEqual([4096, 2048])
  })

  it('draws from the real CSPRNG by default', () => {
    const random = pooledRandomBytes()
    const a = random(32)
    const b = random(32)
    expect(a).toHaveLength(32)
    expect(a.equals(b)).toBe(false)
  })
})
