import type { OAuthStatus } from '../../../../shared/contract/oauth'

/** What the waiting state says for each `oauth.status`, in words, with the provider's reason. */
export function statusText(status: OAuthStatus): string {
  switch (status.state) {
    case 'waiting':
      return 'Waiting for you to sign in with the provider in your browser…'
    case 'exchanging':
      return 'Signed in. Getting the tokens from the provider…'
    case 'connected':
      return 'Connected.'
    case 'failed':
      return status.error
        ? `The sign-in failed: ${status.error.message} (${status.error.code})`
        : 'The sign-in failed.'
    case 'cancelled':
      return 'Sign-in cancelled.'
    case 'timedOut':
      return 'The sign-in timed out: nobody finished it in the browser in time.'
  }
}

export const isFinal = (status: OAuthStatus) => status.state !== 'waiting' && status.state !== 'exchanging'

/** "4:59": minutes and seconds left until `expiresAt`, never below zero. */
export function countdownText(expiresAt: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000))
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
