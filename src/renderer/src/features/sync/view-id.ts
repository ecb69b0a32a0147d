/** The Sync view's id in the navigation registry, for links that send the person there. */
export const SYNC_VIEW = 'sync'
