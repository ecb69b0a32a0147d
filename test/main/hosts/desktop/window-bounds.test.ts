import { describe, expect, it } from 'vitest'
import {
  placementToSave,
  restorePlacement,
  WINDOW_DEFAULTS,
} from '../../../../src/main/hosts/desktop/window-bounds'

const laptop = { x: 0, y: 0, width: 1440, height: 900 }
const monitorOnTheRight = { x: 1440, y: 0, width: 2560, height: 1440 }
const defaults = {
  bounds: { width: WINDOW_DEFAULTS.width, height: WINDOW_DEFAULTS.height },
  maximized: false,
}

describe('restoring the main window', () => {
  it('reopens where it was when that spot is still on a screen', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900, maximized: false }
    expect(restorePlacement(saved, [laptop, monitorOnTheRight])).toEqual({
      bounds: { x: 1600, y: 100, width: 1400, height: 900 },
      maximized: false,
    })
  })

  it('keeps the size but lets the OS place it when its screen is gone (undocked)', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900, maximized: true }
    expect(restorePlacement(saved, [laptop])).toEqual({
      bounds: { width: 1400, height: 900 },
      maximized: true,
    })
  })

  it('does not count a sliver: the title bar must be reachable', () => {
    const titleBarAboveTheScreen = { x: 100, y: -850, width: 1280, height: 820 }
    const onlyTheLeftEdgeShows = { x: 1440 - 60, y: 100, width: 1280, height: 820 }
    expect(restorePlacement(titleBarAboveTheScreen, [laptop]).bounds).not.toHaveProperty('x')
    expect(restorePlacement(onlyTheLeftEdgeShows, [laptop]).bounds).not.toHaveProperty('x')
  })

  it('never opens smaller than the window allows', () => {
    expect(restorePlacement({ x: 10, y: 10, width: 200, height: 100 }, [laptop]).bounds).toEqual({
      x: 10,
      y: 10,
      width: WINDOW_DEFAULTS.minWidth,
      height: WINDOW_DEFAULTS.minHeight,
    })
  })

  it('falls back to the default for a missing or hand-mangled preferences entry', () => {
    for (const saved of [undefined, null, 'big', { x: 1, y: 2 }, { x: 0, y: 0, width: -5, height: 10 }]) {
      expect(restorePlacement(saved, [laptop])).toEqual(defaults)
    }
    expect(restorePlacement({ x: 0.5, y: 0, width: 1000, height: 700 }, [laptop])).toEqual(defaults)
  })

  it('saves whole pixels of the normal bounds and whether it was maximized', () => {
    expect(placementToSave({ x: 10.4, y: 20.6, width: 1000.2, height: 700.7 }, true)).toEqual({
      x: 10,
      y: 21,
      width: 1000,
      height: 701,
      maximized: true,
    })
  })
})
