/**
 * HTTP requests to authorization servers (discovery, token endpoints). Each host passes its own, so
 * the core never reaches the network by itself and a test can count or cut what goes out.
 */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>
