import { useEffect } from 'react'
import { DIALECT_LABELS } from './failure-words'
import { remotesSelectors, useRemotesStore } from './remotes-store'

/**
 * "Sync with": this device only, or one of the remotes. Absent while there are no remotes, so a
 * person who never set up sync never sees a choice with one option.
 */
export function RemotePicker({ value, onChange }: { value: string; onChange(remoteId: string): void }) {
  const remotes = useRemotesStore(remotesSelectors.remotes)
  useEffect(() => {
    void useRemotesStore.getState().load()
  }, [])
  if (!remotes || remotes.length === 0) return null
  return (
    <div className="field">
      <label htmlFor="connection-remote">Sync with</label>
      <select id="connection-remote" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">This device only</option>
        {remotes.map((remote) => (
          <option key={remote.id} value={remote.id}>
            {remote.name} ({DIALECT_LABELS[remote.dialect]})
          </option>
        ))}
      </select>
    </div>
  )
}
