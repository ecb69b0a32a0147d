import { afterEach, describe, expect, it } from 'vitest'
import { toast, useToastStore } from '../../src/renderer/src/features/toasts/toast-store'
import {
  flowCountText,
  flowUsageOf,
  usageSentence,
} from '../../src/renderer/src/features/connections/flow-usage'

describe('toasts', () => {
  afterEach(() => useToastStore.getState().clear())

  it('keeps the newest first and counts a repeated message instead of stacking it', () => {
    toast('Deleted “A”.')
    toast('Copied.')
    toast('Deleted “A”.')
    const shown = useToastStore.getState().toasts.map((t) => [t.message, t.count])
    expect(shown).toEqual([
      ['Deleted “A”.', 2],
      ['Copied.', 1],
    ])
  })

  it('tells an error from news with the same words', () => {
    toast('Could not copy.')
    toast('Could not copy.', 'error')
    expect(useToastStore.getState().toasts).toHaveLength(2)
  })

  it('forgets everything on clear, as a lock does', () => {
    for (let i = 0; i < 30; i++) toast(`News ${i}`)
    expect(useToastStore.getState().toasts.length).toBeLessThanOrEqual(20)
    expect(useToastStore.getState().toasts[0]?.message).toBe('News 29')
    useToastStore.getState().clear()
    expect(useToastStore.getState().toasts).toEqual([])
  })
})

describe('flow usage wording', () => {
  const flow = (flowId: string, active: boolean) => ({
    flowId,
    connectionId: 'c',
    flowName: null,
    projectId: null,
    active,
  })

  it('counts active and inactive flows in words', () => {
    expect(usageSentence(flowUsageOf([flow('a', true), flow('b', true), flow('c', false)]))).toBe(
      'Used by 2 active flows and 1 inactive flow.',
    )
    expect(flowCountText(flowUsageOf([flow('c', false)]))).toBe('1 inactive flow')
    expect(usageSentence(flowUsageOf([]))).toBe('No flow uses it.')
  })
})
