import { useEffect, useState } from 'react'
import type { OAuthPreset } from '../../../../shared/contract/oauth'
import { api } from '../../stores/api'

let cached: OAuthPreset[] | null = null

/** The preset catalogue is data that never changes while the app runs: asked once. */
export function usePresets(): OAuthPreset[] | null {
  const [presets, setPresets] = useState(cached)
  useEffect(() => {
    if (cached) return
    let current = true
    api()
      .oauth.presets({})
      .then((list) => {
        cached = list
        if (current) setPresets(list)
      })
      .catch(() => current && setPresets([]))
    return () => {
      current = false
    }
  }, [])
  return presets
}
