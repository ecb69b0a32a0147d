import { Argument, type Command } from 'commander-v14'
import type { ConnectionPolicy } from '../../../shared/contract'
import type { CliContext } from '../context'
import { POLICY_TYPES } from '../contract-values'
import { json, table } from '../output'
import { findConnection } from './find-connection'

const policyRows = (policies: ConnectionPolicy[]) =>
  table(
    ['PIECE', 'PROJECT', 'TYPE', 'CONNECTION', 'UPDATED'],
    policies.map((p) => [p.pieceName, p.projectId, p.type, p.connectionId ?? '-', p.updated]),
  )

export function registerPolicyCommands(program: Command, context: CliContext): void {
  const policies = program.command('policies').description('Which connection a piece uses in a project.')

  policies
    .command('list')
    .description('List policies.')
    .option('--piece <pieceName>', 'only this piece')
    .option('--project <projectId>', 'only this project')
    .option('--json', 'JSON for machines')
    .action(async (options: { piece?: string; project?: string; json?: boolean }) => {
      await context.withVault('policies list', async (client) => {
        const list = await client.call('policies.list', {
          pieceName: options.piece,
          projectId: options.project,
        })
        context.stdout.write(options.json ? json(list) : policyRows(list))
      })
    })

  policies
    .command('set')
    .description('Set the policy for a piece in a project.')
    .argument('<piece>', 'piece name')
    .argument('<project>', 'project id')
    .addArgument(new Argument('<type>', 'policy type').choices(POLICY_TYPES))
    .argument('[connection]', 'the enforced or default connection (id or externalId)')
    .option('--json', 'JSON for machines')
    .action(
      async (
        piece: string,
        project: string,
        type: string,
        connection: string | undefined,
        options: { json?: boolean },
      ) => {
        await context.withVault('policies set', async (client) => {
          const connectionId = connection ? (await findConnection(client, connection)).id : null
          const policy = await client.call('policies.set', {
            pieceName: piece,
            projectId: project,
            type: type as ConnectionPolicy['type'],
            connectionId,
          })
          context.stdout.write(options.json ? json(policy) : policyRows([policy]))
        })
      },
    )

  policies
    .command('resolve')
    .description('Which connection a piece gets in a project, and why.')
    .argument('<piece>', 'piece name')
    .argument('<project>', 'project id')
    .option('--external-id <externalId>', 'the user’s own connection')
    .option('--json', 'JSON for machines')
    .action(async (piece: string, project: string, options: { externalId?: string; json?: boolean }) => {
      await context.withVault('policies resolve', async (client) => {
        const resolution = await client.call('policies.resolve', {
          pieceName: piece,
          projectId: project,
          externalId: options.externalId,
        })
        context.stdout.write(
          options.json
            ? json(resolution)
            : `${resolution.connection.id} (${resolution.connection.displayName}): ${resolution.reason}\n`,
        )
      })
    })
}
