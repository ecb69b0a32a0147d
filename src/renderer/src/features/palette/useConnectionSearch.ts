import { useEffect, useState } from 'react'
import type { AppConnection } from '../../../../shared/contract'
import { api } from '../../stores/api'

export type FoundConnection = Pick<AppConnection, 'id' | 'displayName' | 'pieceName'>

/** Enough to pick from without scrolling; more letters narrow it. */
const FOUND_AT_MOST = 6

/**
 * Connections whose name holds `text`, from main's list (connections.list with a name filter), so
 * the palette never loads the vault: 100k connections cost one page of six. Answers to older
 * text are dropped.
 */
export function useConnectionSearch(text: string): FoundConnection[] {
  const [found, setFound] = useState<FoundConnection[]>([])
  const needle = text.trim().slice(0, 200)
  useEffect(() => {
    if (!needle) {
      setFound([])
      return
    }
    let current = true
    api()
      .connections.list({ displayName: needle, sort: 'displayName', limit: FOUND_AT_MOST })
      .then((page) => {
        if (current)
          setFound(page.data.map(({ id, displayName, pieceName }) => ({ id, displayName, pieceName })))
      })
      .catch(() => {
        // A locked vault or a closed window: the palette just shows its commands.
        if (current) setFound([])
      })
    return () => {
      current = false
    }
  }, [needle])
  return found
}
