import { originOf } from './app-origin'

/**
 * will-navigate and will-redirect: the window only ever shows the renderer, so a page may move
 * within its trusted origins and nowhere else (Electron's checklist item 13). The comparison is on
 * whole origins: `http://localhost:5173.evil` is not `http://localhost:5173`.
 */
export function mayNavigate(url: string, trustedOrigins: ReadonlySet<string>): boolean {
  const origin = originOf(url)
  return origin !== null && trustedOrigins.has(origin)
}
