import type { AppConnection, ConnectionPolicy, PolicyResolution } from '../../shared/contract'
import { AppError, notFoundError, validationError } from '../../shared/errors'
import { POLICY_SUBJECT, STATUS_WORDS } from './policy-words'

/** What the resolver decides from; the service looks these up. */
export interface ResolutionFacts {
  pieceName: string
  projectId: string
  externalId?: string | undefined
  policy: ConnectionPolicy | null
  /** The connection the policy names, when it still exists. */
  policyConnection: AppConnection | null
  /** The externalId's own connection for the piece, available in the project, when there is one. */
  userConnection: AppConnection | null
}

/**
 * Which connection an externalId gets for a piece in a project, and why — the Weavz policies.
 * Only an ACTIVE connection is handed out: a MISSING placeholder has no value and an ERROR one was
 * refused by its provider, so using either would fail later and less clearly.
 */
export function resolveConnection(facts: ResolutionFacts): PolicyResolution {
  const { policy } = facts
  const where = `${facts.pieceName} in project ${facts.projectId}`
  if (!policy) return resolveWithoutPolicy(facts, where)
  switch (policy.type) {
    case 'ENFORCED_ORG':
      return {
        connection: requireUsable(facts.policyConnection, policy, where),
        policy: policy.type,
        reason: `The organisation enforces this connection for ${where}; a user's own connection is never used.`,
      }
    case 'ENFORCED_PROJECT':
      return {
        connection: requireUsable(facts.policyConnection, policy, where),
        policy: policy.type,
        reason: `The project enforces this connection for every action of ${where}.`,
      }
    case 'USER_REQUIRED':
      return resolveUserRequired(facts, where)
    case 'USER_WITH_DEFAULT':
      return resolveUserWithDefault(facts, where)
  }
}

function resolveWithoutPolicy(facts: ResolutionFacts, where: string): PolicyResolution {
  if (facts.externalId === undefined) {
    throw validationError(
      `There is no connection policy for ${where}, so the connection depends on the user: give the user's externalId.`,
    )
  }
  const user = requireUserConnection(facts, where, 'There is no policy for it either.')
  return {
    connection: user,
    policy: null,
    reason: `No policy for ${where}: the connection of externalId "${facts.externalId}" is used.`,
  }
}

function resolveUserRequired(facts: ResolutionFacts, where: string): PolicyResolution {
  if (facts.externalId === undefined) {
    throw validationError(
      `Each user must bring their own connection for ${where}: give the user's externalId.`,
    )
  }
  const user = requireUserConnection(
    facts,
    where,
    'The policy asks each user for their own connection and has no default: the user must connect their own account.',
  )
  return {
    connection: user,
    policy: 'USER_REQUIRED',
    reason: `Each user brings their own connection for ${where}: this is the one of externalId "${facts.externalId}".`,
  }
}

function resolveUserWithDefault(facts: ResolutionFacts, where: string): PolicyResolution {
  const user = facts.userConnection
  if (facts.externalId !== undefined && user?.status === 'ACTIVE') {
    return {
      connection: user,
      policy: 'USER_WITH_DEFAULT',
      reason: `The user's own connection (externalId "${facts.externalId}") comes before the default for ${where}.`,
    }
  }
  const why =
    facts.externalId === undefined
      ? 'no externalId was given'
      : user
        ? `the user's own connection is ${STATUS_WORDS[user.status]}`
        : `externalId "${facts.externalId}" has no connection of its own`
  const fallback = requireUsable(facts.policyConnection, facts.policy!, where)
  return {
    connection: fallback,
    policy: 'USER_WITH_DEFAULT',
    reason: `The default connection for ${where} is used, because ${why}.`,
  }
}

function requireUserConnection(facts: ResolutionFacts, where: string, hint: string): AppConnection {
  const user = facts.userConnection
  if (!user) {
    throw notFoundError(
      'app_connection',
      facts.externalId ?? '',
      `No connection for externalId "${facts.externalId}" and ${where}. ${hint}`,
    )
  }
  if (user.status !== 'ACTIVE') {
    throw new AppError('VALIDATION', {
      message: `The connection of externalId "${facts.externalId}" for ${where} is ${STATUS_WORDS[user.status]}: reconnect it.`,
      entityType: 'app_connection',
      entityId: user.id,
    })
  }
  return user
}

/** Linked to no project (organisation-wide, Weavz's projectId: null) or to this one. */
export function isAvailableIn(connection: { projectIds: string[] }, projectId: string): boolean {
  return connection.projectIds.length === 0 || connection.projectIds.includes(projectId)
}

function requireUsable(
  connection: AppConnection | null,
  policy: ConnectionPolicy,
  where: string,
): AppConnection {
  if (!connection) {
    throw notFoundError(
      'app_connection',
      policy.connectionId ?? '',
      `${POLICY_SUBJECT[policy.type]} for ${where} was deleted, so the policy names no connection. Set the policy again.`,
    )
  }
  if (connection.status !== 'ACTIVE') {
    throw new AppError('VALIDATION', {
      message: `${POLICY_SUBJECT[policy.type]} for ${where} is "${connection.displayName}", which is ${STATUS_WORDS[connection.status]}: reconnect it.`,
      entityType: 'app_connection',
      entityId: connection.id,
    })
  }
  // Its projects may have changed since the policy was set: never hand a project another's connection.
  if (!isAvailableIn(connection, policy.projectId)) {
    throw new AppError('VALIDATION', {
      message: `${POLICY_SUBJECT[policy.type]} for ${where} is "${connection.displayName}", which is no longer available in project ${policy.projectId}. Set the policy again.`,
      entityType: 'app_connection',
      entityId: connection.id,
    })
  }
  return connection
}
