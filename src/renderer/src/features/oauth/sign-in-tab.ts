import type { OAuthFlowStarted } from '../../../../shared/contract/oauth'
import { api } from '../../stores/api'
import { mayOpenInTab } from './tab-url'

// Who opens the provider's page. The desktop's main process does (shell.openExternal behind its
// allowlist). Browser mode's host has no browser of its own that the person is looking at (it may
// run on another machine, over SSH), so the page opens a tab itself. A popup blocker lets a tab
// open only during the click, so the tab is opened blank before oauth.start is awaited and pointed
// at the authorization URL once main answers `opened: false`.

let host: 'desktop' | 'browser' | null = null
let asked = false

/** Learns the host once, ahead of the first click (a click cannot wait for it). */
export function learnHost(): void {
  if (asked) return
  asked = true
  api()
    .app.info()
    .then((info) => (host = info.host))
    .catch(() => (asked = false))
}

/** A blank tab opened during the click, in browser mode only; null elsewhere or when blocked. */
export function openBlankTab(): Window | null {
  if (host !== 'browser') return null
  const tab = window.open('about:blank', '_blank')
  // What noopener would do, which window.open cannot combine with keeping the handle.
  if (tab) tab.opener = null
  return tab
}

/** Points the blank tab at the sign-in, unless the host opened it already. */
export function showSignIn(tab: Window | null, started: OAuthFlowStarted): void {
  if (started.opened || !mayOpenInTab(started.authorizationUrl)) {
    tab?.close()
    return
  }
  if (tab) tab.location.href = started.authorizationUrl
  else window.open(started.authorizationUrl, '_blank', 'noopener,noreferrer')
}
