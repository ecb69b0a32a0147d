import type { ConnectionStatus, PolicyType } from '../../shared/contract'

/**
 * The policies and statuses as a sentence names them. The contract keeps Weavz's enum names for
 * programs; a person reads these instead ("enforced by the organisation", not ENFORCED_ORG).
 */
export const POLICY_WORDS: Record<PolicyType, string> = {
  ENFORCED_ORG: 'enforced by the organisation',
  ENFORCED_PROJECT: 'enforced for the project',
  USER_REQUIRED: "each user's own connection",
  USER_WITH_DEFAULT: "each user's own connection, with a default",
}

/** "The policy “enforced by the organisation”" reads badly; these open a sentence about the policy. */
export const POLICY_SUBJECT: Record<PolicyType, string> = {
  ENFORCED_ORG: 'The organisation-wide enforced connection',
  ENFORCED_PROJECT: "The project's enforced connection",
  USER_REQUIRED: 'The "each user\'s own connection" policy',
  USER_WITH_DEFAULT: 'The default connection',
}

export const STATUS_WORDS: Record<ConnectionStatus, string> = {
  ACTIVE: 'working',
  MISSING: 'missing its credentials',
  ERROR: 'refused by its provider',
}
