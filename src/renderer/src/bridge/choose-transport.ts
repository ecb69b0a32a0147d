import type { Transport } from '../../../shared/client'

/**
 * The desktop preload exposes its IPC transport; without one we are in browser mode and talk HTTP.
 * Either way the renderer builds the one typed client over it (Actual Budget's browser-preload
 * pattern, moved one step inward), so the rest of the app cannot tell which host it runs in.
 */
export function chooseTransport(
  preloadTransport: Transport | undefined,
  webTransport: () => Transport,
): Transport {
  return preloadTransport ?? webTransport()
}
