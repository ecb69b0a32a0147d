/**
 * Opens a URL in the user's system browser (an OAuth sign-in, a provider's docs). Each host supplies
 * its own: the desktop's goes through its https allowlist, browser mode's keeps the URL off any
 * command line other users could read.
 */
export type OpenExternal = (url: string) => Promise<void>
