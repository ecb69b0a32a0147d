import { procedures } from '../../shared/contract'

// The contract's runtime values the program uses. The product bundle gets them as literals computed
// from the contract at build time (scripts/build-cli.mjs), so a command builds none of the
// contract's zod schemas; the app validates every call against them anyway. Plain data only.
export {
  CONNECTION_SCOPES,
  CONNECTION_STATUSES,
  CONNECTION_TYPES,
  EXPIRY_STATES,
  LIST_SORTS,
  SORT_ORDERS,
  UPSERT_BATCH_MAX,
} from '../../shared/contract/connections'
export { POLICY_TYPES } from '../../shared/contract/policies'

export const PROCEDURE_NAMES: readonly string[] = Object.keys(procedures)
