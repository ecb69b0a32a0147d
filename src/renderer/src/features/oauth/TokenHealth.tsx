import { useEffect, useState } from 'react'
import { expiringSoonMsOf, healthOf } from '../../../../shared/connection-health'
import type { AppConnection } from '../../../../shared/contract'
import { NEEDS_SIGN_IN, oauthFailureCode } from '../../../../shared/contract/oauth'
import { api, asAppError } from '../../stores/api'
import { useConnectionsQuery } from '../../stores/connections-query-store'
import { useSettingsStore } from '../../stores/settings-store'
import { handleLockedError } from '../../stores/vault-store'
import { formatDate, relativeTime } from '../connections/format'
import { useNow } from '../connections/useNow'
import { toast } from '../toasts/toast-store'
import { SignInWaiting } from './SignInWaiting'
import { useSignInFlow } from './useSignInFlow'

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="kv">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

/** The latest refresh, success or failure, with when it happened; null before the first. */
function lastRefresh(connection: AppConnection): { at: string; ok: boolean } | null {
  const { lastRefreshSuccessAt: ok, lastRefreshFailureAt: failed } = connection.health
  if (!ok && !failed) return null
  if (!failed || (ok && Date.parse(ok) > Date.parse(failed))) return { at: ok!, ok: true }
  return { at: failed, ok: false }
}

/** Whether only the person can fix it: refused by the provider, or expired with no refresh token. */
function needsReconnect(connection: AppConnection, now: number): boolean {
  const state = healthOf(connection, now).state
  if (state === 'needs-sign-in' || state === 'error') return true
  const code = oauthFailureCode(connection.health.lastRefreshFailureReason)
  return code === NEEDS_SIGN_IN || code === 'invalid_grant' || code === 'invalid_client'
}

/**
 * An OAuth2 connection's token: when it expires, how the last refresh went and why it failed,
 * with "Refresh now" and "Reconnect" (the same sign-in wait as a new connection, in place).
 */
export function TokenHealth({ connection }: { connection: AppConnection }) {
  const now = useNow()
  const soonDays = useSettingsStore((s) => s.settings.expiringSoonDays)
  const health = healthOf(connection, now, expiringSoonMsOf(soonDays))
  const { tokenExpiresAt, lastRefreshFailureReason, refreshAttempts } = connection.health
  const last = lastRefresh(connection)
  const reason = lastRefreshFailureReason ?? (connection.status === 'ERROR' ? connection.statusReason : null)
  const reconnectFirst = needsReconnect(connection, now)
  const [refreshing, setRefreshing] = useState(false)
  const invalidate = useConnectionsQuery((s) => s.invalidate)
  const signIn = useSignInFlow()
  const reconnected = signIn.flow?.status.state === 'connected'

  useEffect(() => {
    if (!reconnected) return
    toast(`Signed in to “${connection.displayName}” again.`)
    invalidate()
    signIn.reset()
  }, [reconnected]) // eslint-disable-line react-hooks/exhaustive-deps -- once, when the flow connects

  async function refresh() {
    setRefreshing(true)
    try {
      await api().oauth.refresh({ id: connection.id })
      toast('Refreshed the token.')
      invalidate()
    } catch (failure) {
      handleLockedError(failure)
      toast(asAppError(failure).params.message, 'error')
    } finally {
      setRefreshing(false)
    }
  }

  async function reconnect() {
    try {
      await signIn.start(() => api().oauth.reconnect({ id: connection.id }))
    } catch (failure) {
      handleLockedError(failure)
      toast(asAppError(failure).params.message, 'error')
    }
  }

  const flow = signIn.flow
  return (
    <section className="token-health" aria-label="Token health">
      <dl className="details">
        <Row label="Health">
          <span className={`badge badge-${health.tone}`} data-health={health.state}>
            {health.label}
          </span>
          {health.detail ? <span className="muted small"> {health.detail}</span> : null}
        </Row>
        <Row label="Expires">
          {tokenExpiresAt
            ? `${Date.parse(tokenExpiresAt) > now ? 'in' : 'expired'} ${relativeTime(tokenExpiresAt, now).replace(/^in /, '')} (${formatDate(tokenExpiresAt)})`
            : 'No expiry given'}
        </Row>
        <Row label="Last refresh">
          {last ? `${last.ok ? 'Succeeded' : 'Failed'} ${formatDate(last.at)}` : 'Not refreshed yet'}
        </Row>
        {reason ? (
          <Row label="Failure reason">
            <span className="token-reason">{reason}</span>
          </Row>
        ) : null}
        <Row label="Refresh attempts">{refreshAttempts}</Row>
      </dl>
      {flow ? (
        <SignInWaiting
          flow={flow}
          onCancel={signIn.cancel}
          onComplete={signIn.complete}
          onRetry={signIn.reset}
        />
      ) : null}
      {!flow ? (
        <div className="button-row">
          <button type="button" onClick={() => void refresh()} disabled={refreshing}>
            {refreshing ? 'Refreshing…' : 'Refresh now'}
          </button>
          <button
            type="button"
            className={reconnectFirst ? 'primary' : undefined}
            onClick={() => void reconnect()}
          >
            Reconnect
          </button>
        </div>
      ) : null}
    </section>
  )
}
