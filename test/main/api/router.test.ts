import { describe, expect, it } from 'vitest'
import { createRouter, type Handlers } from '../../../src/main/api/router'
import { AppError } from '../../../src/shared/errors'
import { createTestCore } from '../../support/core'

describe('router', () => {
  it('answers app.info with the host identity', async () => {
    const { core, dispose } = createTestCore()
    const result = await core.router.dispatch('app.info', {}, { origin: 'test' })
    expect(result).toEqual({ ok: true, value: { name: 'Latchkey', version: '0.0.0-test', host: 'browser' } })
    await dispose()
  })

  it('refuses an unknown procedure with ENTITY_NOT_FOUND', async () => {
    const { core, dispose } = createTestCore()
    const result = await core.router.dispatch('vault.explode', {}, { origin: 'test' })
    expect(result).toEqual({
      ok: false,
      error: {
        statusCode: 404,
        code: 'ENTITY_NOT_FOUND',
        params: {
          entityType: 'procedure',
          entityId: 'vault.explode',
          message: 'There is no procedure called "vault.explode".',
        },
      },
    })
    await dispose()
  })

  it('refuses input that does not match the schema before the handler runs', async () => {
    const { core, dispose } = createTestCore()
    const result = await core.router.dispatch('app.info', { surprise: true }, { origin: 'test' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.statusCode).toBe(400)
    expect(result.error.code).toBe('VALIDATION')
    expect(result.error.params.issues?.[0]?.message).toMatch(/surprise/)
    await dispose()
  })

  it('turns an unexpected failure into INTERNAL without its message', async () => {
    const leaked: unknown[] = []
    const handlers = {
      'app.info': () => {
        throw new Error('secret-value-xyz')
      },
    } as unknown as Handlers
    const router = createRouter(handlers, { onUnexpectedError: (_name, error) => leaked.push(error) })
    const result = await router.dispatch('app.info', {}, { origin: 'test' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('INTERNAL')
    expect(JSON.stringify(result.error)).not.toContain('secret-value-xyz')
    expect(leaked).toHaveLength(1)
  })

  it('passes an AppError through in the contract shape', async () => {
    const handlers = {
      'app.info': () => {
        throw new AppError('CONFLICT', { message: 'Already there.', entityType: 'vault', entityId: 'v1' })
      },
    } as unknown as Handlers
    const result = await createRouter(handlers).dispatch('app.info', {}, { origin: 'test' })
    expect(result).toEqual({
      ok: false,
      error: {
        statusCode: 409,
        code: 'CONFLICT',
        params: { message: 'Already there.', entityType: 'vault', entityId: 'v1' },
      },
    })
  })
})
