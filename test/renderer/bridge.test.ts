import { describe, expect, it } from 'vitest'
import { chooseTransport } from '../../src/renderer/src/bridge/choose-transport'
import { createWebTransport } from '../../src/renderer/src/bridge/web-transport'
import { deleteRefusalOf } from '../../src/renderer/src/features/connections/delete-refusal'
import type { Transport } from '../../src/shared/client'
import { AppError, remoteUnavailableError } from '../../src/shared/errors'

const preload: Transport = { invoke: async () => ({ ok: true, value: 'ipc' }), subscribe: () => () => {} }

describe('the renderer’s bridge', () => {
  it('uses the preload’s transport when there is one, and builds no web transport', () => {
    let built = 0
    const web = () => {
      built += 1
      return createWebTransport('token')
    }
    expect(chooseTransport(preload, web)).toBe(preload)
    expect(built).toBe(0)
  })

  it('falls back to the web transport in browser mode', () => {
    const web = createWebTransport('token')
    expect(chooseTransport(undefined, () => web)).toBe(web)
  })

  it('gives a plain REMOTE_UNAVAILABLE envelope when browser mode does not answer', async () => {
    const refused: typeof fetch = () => Promise.reject(new TypeError('fetch failed'))
    const result = await createWebTransport('token', refused).invoke('app.info', {})
    expect(result).toEqual({
      ok: false,
      error: remoteUnavailableError('Latchkey is not answering. Is browser mode still running?').toObject(),
    })
  })
})

describe('the delete dialog’s reading of a refusal', () => {
  it('offers a forced delete from the typed activeFlows field, whatever the message says', () => {
    const error = new AppError('VALIDATION', {
      message: 'Die Verbindung wird noch verwendet.',
      entityType: 'app_connection',
      entityId: 'conn_1',
      activeFlows: 2,
      flowIds: ['flow-1', 'flow-2'],
    })
    expect(deleteRefusalOf(error)).toEqual({ kind: 'in-use', activeFlows: 2, flowIds: ['flow-1', 'flow-2'] })
  })

  it('does not offer it for a sentence that only looks like the in-use message', () => {
    const error = new AppError('VALIDATION', { message: 'Connection is used in 3 active flows.' })
    expect(deleteRefusalOf(error)).toEqual({
      kind: 'other',
      message: 'Connection is used in 3 active flows.',
    })
  })
})
