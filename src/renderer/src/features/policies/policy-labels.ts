import type { PolicyType } from '../../../../shared/contract'

/** The four Weavz policies as a person reads them; the API names stay in the explanation. */
export const POLICY_LABELS: Record<PolicyType, string> = {
  ENFORCED_ORG: 'Enforced by the organisation',
  ENFORCED_PROJECT: 'Enforced for the project',
  USER_REQUIRED: "User's own, required",
  USER_WITH_DEFAULT: "User's own, with a default",
}

export const POLICY_EXPLANATIONS: Record<PolicyType, string> = {
  ENFORCED_ORG: 'Everyone gets one organisation-level connection; their own is never used.',
  ENFORCED_PROJECT: 'Everyone in the project gets the project’s connection; their own is never used.',
  USER_REQUIRED: 'Each user must connect their own account; there is no fallback.',
  USER_WITH_DEFAULT: 'Each user’s own connection when they have one, else the default.',
}

export const needsConnection = (type: PolicyType) => type !== 'USER_REQUIRED'
