import { z } from 'zod'

/**
 * Where the main window reopens. The saved bounds come from a preferences file anyone can edit, and
 * the display they were on may be gone (a laptop undocked), so they are checked, never trusted:
 * a window restored off every screen is a window the user cannot reach.
 */
export interface Rectangle {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowPlacement {
  bounds: Partial<Pick<Rectangle, 'x' | 'y'>> & Pick<Rectangle, 'width' | 'height'>
  maximized: boolean
}

export const WINDOW_DEFAULTS = { width: 1280, height: 820, minWidth: 880, minHeight: 560 } as const

/** How much of the window's top edge must be on a screen for its title bar to be grabbed. */
const MIN_VISIBLE = { width: 120, height: 40 }

const savedPlacementSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
})

export type SavedPlacement = z.infer<typeof savedPlacementSchema>

const defaultPlacement = (): WindowPlacement => ({
  bounds: { width: WINDOW_DEFAULTS.width, height: WINDOW_DEFAULTS.height },
  maximized: false,
})

function visibleTopEdge(window: Rectangle, screen: Rectangle): boolean {
  const left = Math.max(window.x, screen.x)
  const right = Math.min(window.x + window.width, screen.x + screen.width)
  const top = Math.max(window.y, screen.y)
  const bottom = Math.min(window.y + MIN_VISIBLE.height, screen.y + screen.height)
  return right - left >= MIN_VISIBLE.width && bottom - top >= MIN_VISIBLE.height
}

/** The placement to open with: the saved one when it is well-formed and reachable, else the default. */
export function restorePlacement(saved: unknown, workAreas: Rectangle[]): WindowPlacement {
  const parsed = savedPlacementSchema.safeParse(saved)
  if (!parsed.success) return defaultPlacement()
  const width = Math.max(parsed.data.width, WINDOW_DEFAULTS.minWidth)
  const height = Math.max(parsed.data.height, WINDOW_DEFAULTS.minHeight)
  const window = { x: parsed.data.x, y: parsed.data.y, width, height }
  if (!workAreas.some((screen) => visibleTopEdge(window, screen))) {
    // Keep the size the user chose; let the OS centre it on a screen that exists.
    return { bounds: { width, height }, maximized: parsed.data.maximized }
  }
  return { bounds: window, maximized: parsed.data.maximized }
}

/** What to save: the normal (unmaximized) bounds, so un-maximizing after a restart lands sensibly. */
export function placementToSave(normalBounds: Rectangle, maximized: boolean): SavedPlacement {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.round(normalBounds.width),
    height: Math.round(normalBounds.height),
    maximized,
  }
}
