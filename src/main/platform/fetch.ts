import type { Fetch } from '../adapters/fetch'

/** Node's own fetch (undici): what every host passes today. */
export const platformFetch: Fetch = (input, init) => fetch(input, init)
