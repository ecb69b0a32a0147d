import { useEffect, useRef, useState } from 'react'
import type { OAuthFlowStarted, OAuthStatus } from '../../../../shared/contract/oauth'
import { api } from '../../stores/api'
import { learnHost, openBlankTab, showSignIn } from './sign-in-tab'

export interface SignInFlow {
  started: OAuthFlowStarted
  status: OAuthStatus
}

/**
 * One sign-in at a time for the component that owns it (the new-connection dialog, or Reconnect
 * in the detail panel): starts it, follows its `oauth.status` events, and cancels it if the
 * component goes away while it still waits, so its loopback port is freed at once.
 */
export function useSignInFlow() {
  const [flow, setFlow] = useState<SignInFlow | null>(null)
  const flowId = useRef<string | null>(null)
  const waiting = useRef(false)
  // main announces "waiting" before oauth.start answers; keep what arrives before the id is known.
  const early = useRef(new Map<string, OAuthStatus>())

  useEffect(() => {
    learnHost()
    const off = api().on('oauth.status', (status) => {
      if (flowId.current === null) early.current.set(status.flowId, status)
      if (status.flowId !== flowId.current) return
      waiting.current = status.state === 'waiting' || status.state === 'exchanging'
      setFlow((current) => (current ? { ...current, status } : current))
    })
    return () => {
      off()
      if (flowId.current && waiting.current)
        void api()
          .oauth.cancel({ flowId: flowId.current })
          .catch(() => {})
    }
  }, [])

  /** Call straight from the click: the browser-mode tab must open before anything is awaited. */
  async function start(begin: () => Promise<OAuthFlowStarted>): Promise<void> {
    const tab = openBlankTab()
    early.current.clear()
    let started: OAuthFlowStarted
    try {
      started = await begin()
    } catch (failure) {
      tab?.close()
      throw failure
    }
    flowId.current = started.flowId
    const status = early.current.get(started.flowId) ?? { flowId: started.flowId, state: 'waiting' }
    waiting.current = status.state === 'waiting' || status.state === 'exchanging'
    early.current.clear()
    setFlow({ started, status })
    showSignIn(tab, started)
  }

  async function cancel(): Promise<void> {
    if (!flowId.current) return
    await api().oauth.cancel({ flowId: flowId.current })
  }

  /** The paste fallback: the address the browser ended on, or just the code. */
  async function complete(pasted: string): Promise<string> {
    if (!flowId.current) throw new Error('No sign-in is waiting.')
    const text = pasted.trim()
    const input = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? { redirectUrl: text } : { code: text }
    const id = flowId.current
    const { connectionId } = await api().oauth.complete({ flowId: id, ...input })
    // The answer is the outcome; the "connected" event may still be on its way.
    waiting.current = false
    setFlow((current) =>
      current?.started.flowId === id
        ? { ...current, status: { flowId: id, state: 'connected', connectionId } }
        : current,
    )
    return connectionId
  }

  function reset(): void {
    flowId.current = null
    waiting.current = false
    setFlow(null)
  }

  return { flow, start, cancel, complete, reset }
}
