import { useEffect, useState } from 'react'
import type { AppInfo } from '../../../../shared/contract'
import type { AppError } from '../../../../shared/errors'

export function AppInfoBadge() {
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    window.latchkey.app
      .info()
      .then(setInfo)
      .catch((failure: AppError) => setError(failure.params?.message ?? 'Latchkey is not answering.'))
  }, [])
  if (error) return <p role="alert">{error}</p>
  if (!info) return <p aria-busy="true">Connecting…</p>
  return (
    <p className="app-info" aria-label="App info" data-testid="app-info">
      {info.name} {info.version} · {info.host === 'desktop' ? 'Desktop' : 'Browser mode'}
    </p>
  )
}
