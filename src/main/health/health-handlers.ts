import type { Handlers } from '../api/router'
import type { Health } from './health-summary'

export function healthHandlers(health: Health): Pick<Handlers, 'health.summary'> {
  return { 'health.summary': () => health.summary() }
}
