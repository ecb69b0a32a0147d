import { useEffect, useState } from 'react'
import { api } from '../../stores/api'

/** What the replace view needs to know about a remote: its name and which API it speaks. */
export interface RemoteSummary {
  id: string
  name: string
  dialect: string
}

type RemotesClient = { remotes?: { list?(input: object): Promise<RemoteSummary[]> } }

/**
 * The remote a connection syncs with, from remotes.list. The remotes procedures arrive with the
 * sync work; until this build has them the answer is 'unknown' and the view says so, rather than
 * guessing what the remote supports.
 */
export function useRemote(remoteId: string | null): RemoteSummary | 'local' | 'unknown' | null {
  const [remote, setRemote] = useState<RemoteSummary | 'local' | 'unknown' | null>(null)
  useEffect(() => {
    if (remoteId === null) return setRemote('local')
    setRemote(null)
    const list = (api() as unknown as RemotesClient).remotes?.list
    if (!list) return setRemote('unknown')
    let current = true
    list({})
      .then((remotes) => current && setRemote(remotes.find((r) => r.id === remoteId) ?? 'unknown'))
      .catch(() => current && setRemote('unknown'))
    return () => {
      current = false
    }
  }, [remoteId])
  return remote
}
