import type { ProcedureName } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import type { VaultClient } from '../client/vault-client'
import { PROCEDURE_NAMES } from '../contract-values'

/**
 * Sync, export and import call procedures that other parts of Latchkey declare in the contract.
 * A build whose contract lacks one says so (the router's own "no such procedure" error, exit 1)
 * instead of failing at compile time; the contract's schema checks the input when it is there.
 */
export function requireProcedure(command: string, name: string): ProcedureName {
  if (PROCEDURE_NAMES.includes(name)) return name as ProcedureName
  throw new AppError('ENTITY_NOT_FOUND', {
    entityType: 'procedure',
    entityId: name,
    message: `“latchkey ${command}” is unavailable in this build of Latchkey (its contract has no ${name}).`,
  })
}

export async function callOptional<T>(client: VaultClient, name: ProcedureName, input: unknown): Promise<T> {
  return (await client.call(name, input as never)) as T
}
