import type { ConnectionValue } from '../../shared/contract/connections'
import { oauthConnectionFieldsSchema, type OAuthConnectionFields } from '../../shared/contract/oauth'
import { AppError } from '../../shared/errors'
import type { ClaimCode } from '../oauth/flows'
import type { ResolvedProvider } from '../oauth/provider'
import type { RemoteClient, RemoteTarget } from './dialects/remote-client'
import { isRemoteError } from './dialects/remote-error'
import { applyRemoteRow } from './pull'
import type { RunContext } from './run-context'

export interface OAuthClaimDependencies {
  target(remoteId: string): RemoteTarget
  clientFor(target: RemoteTarget): RemoteClient
  /** A context for one remote, as a sync run has (no progress, no cancel). */
  contextFor(remoteId: string, client: RemoteClient): RunContext
  newExternalId(): string
}

/**
 * An Activepieces remote takes an OAuth2 connection only as an authorization code it claims itself
 * (REFERENCE.md §1.4: there is no schema for uploading tokens minted elsewhere). For a sign-in bound
 * to such a remote, the loopback flow hands it the code, the PKCE verifier and the redirect URL;
 * the remote exchanges them, and the vault keeps the connection as the remote answered it, its
 * secret held remotely. Any other remote (or none): null, and the flow exchanges locally.
 */
export function remoteCodeClaim(dependencies: OAuthClaimDependencies) {
  return (connection: OAuthConnectionFields, provider: ResolvedProvider): ClaimCode | null => {
    const remoteId = connection.remoteId
    if (!remoteId) return null
    const target = dependencies.target(remoteId)
    const client = dependencies.clientFor(target)
    if (!client.supports.codeClaim || client.supports.tokenUpload) return null
    // Activepieces' OAUTH2 type requires the client secret (the remote is the client that claims).
    if (!provider.clientSecret) {
      throw new AppError('VALIDATION', {
        message:
          'This remote (Activepieces) completes OAuth2 sign-ins itself and needs the app’s client secret to do so. Enter the client secret, or keep this connection local.',
        issues: [{ path: 'provider.clientSecret', message: 'Required for an Activepieces remote.' }],
      })
    }
    const fields = oauthConnectionFieldsSchema.parse(connection)
    const tokenUrl = provider.as.token_endpoint
    return async (code, pkce, flow) => {
      let remote
      try {
        remote = await client.upsert(
          {
            externalId: fields.externalId ?? dependencies.newExternalId(),
            displayName: fields.displayName,
            pieceName: fields.pieceName,
            type: 'OAUTH2',
            projectIds: fields.projectIds,
            // Only the claim goes out; the seam wants a value's shape, which carries no secret here.
            value: { type: 'OAUTH2', access_token: '-', token_url: tokenUrl ?? '-' } as ConnectionValue,
            oauthCodeClaim: {
              code,
              codeVerifier: pkce.codeVerifier,
              redirectUrl: flow.redirectUri,
              clientId: provider.client.client_id,
              clientSecret: provider.clientSecret,
              ...(tokenUrl ? { tokenUrl } : {}),
              scope: provider.scopes.join(provider.scopeSeparator),
            },
          },
          new AbortController().signal,
        )
      } catch (error) {
        const reason = isRemoteError(error) ? error.message : 'The remote did not answer.'
        throw new AppError('OAUTH_FAILED', { message: `The remote could not claim this sign-in: ${reason}` })
      }
      const context = dependencies.contextFor(remoteId, client)
      const id = context.withVault((session, repository) =>
        session.transaction(() => {
          const connectionId = applyRemoteRow(context, repository, remote)
          session.audit({
            action: 'connection.create',
            origin: flow.origin,
            entityType: 'app_connection',
            entityId: connectionId,
            details: {
              displayName: remote.displayName,
              pieceName: remote.pieceName,
              externalId: remote.externalId,
              type: 'OAUTH2',
              remoteId,
              claimedByRemote: true,
            },
          })
          return connectionId
        }),
      )
      context.changed([id], 'created')
      return id
    }
  }
}
