import { describe, expect, it } from 'vitest'
import { createClient, type Transport } from '../../src/shared/client'
import { AppError } from '../../src/shared/errors'
import { procedureNames } from '../../src/shared/contract'

describe('client derived from the contract', () => {
  it('has one method per procedure and routes each to the transport by name', async () => {
    const calls: [string, unknown][] = []
    const transport: Transport = {
      invoke: async (name, input) => {
        calls.push([name, input])
        return { ok: true, value: { echoed: name } }
      },
      subscribe: () => () => {},
    }
    const client = createClient(transport) as unknown as Record<
      string,
      Record<string, (i?: unknown) => Promise<unknown>>
    >
    for (const name of procedureNames) {
      const [area, verb] = name.split('.') as [string, string]
      expect(typeof client[area]?.[verb]).toBe('function')
      await expect(client[area]![verb]!({ a: 1 })).resolves.toEqual({ echoed: name })
    }
    expect(calls.map(([name]) => name)).toEqual(procedureNames)
  })

  it('rebuilds the error object as an AppError', async () => {
    const transport: Transport = {
      invoke: async () => ({
        ok: false,
        error: { statusCode: 423, code: 'VAULT_LOCKED', params: { message: 'The vault is locked.' } },
      }),
      subscribe: () => () => {},
    }
    const failure = await createClient(transport)
      .app.info()
      .catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(AppError)
    expect((failure as AppError).toObject()).toEqual({
      statusCode: 423,
      code: 'VAULT_LOCKED',
      params: { message: 'The vault is locked.' },
    })
  })

  it('delivers events to handlers and stops after unsubscribe', () => {
    let emit: ((name: 'app.ready', payload: unknown) => void) | null = null
    let subscriptions = 0
    const transport: Transport = {
      invoke: async () => ({ ok: true, value: null }),
      subscribe: (listener) => {
        subscriptions++
        emit = listener
        return () => (emit = null)
      },
    }
    const client = createClient(transport)
    const seen: unknown[] = []
    const off = client.on('app.ready', (payload) => seen.push(payload))
    emit!('app.ready', { host: 'browser' })
    off()
    expect(seen).toEqual([{ host: 'browser' }])
    expect(emit).toBeNull()
    expect(subscriptions).toBe(1)
  })
})
