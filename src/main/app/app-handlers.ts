import type { HostKind } from '../../shared/contract'
import type { Handlers } from '../api/router'

export interface AppIdentity {
  name: string
  version: string
  host: HostKind
}

export function appHandlers(identity: AppIdentity): Pick<Handlers, 'app.info'> {
  return {
    'app.info': () => ({ name: identity.name, version: identity.version, host: identity.host }),
  }
}
