import type { InputOf, OutputOf, ProcedureName, Procedures } from '../../../shared/contract'

/**
 * The vault as a command sees it, whoever holds it: the app (over the CLI channel) or this process.
 * A failed call throws the contract's AppError, rebuilt on this side.
 */
export interface VaultClient {
  call<N extends ProcedureName>(name: N, input: InputOf<Procedures[N]>): Promise<OutputOf<Procedures[N]>>
  /** Who answers: the app's process, or this one. */
  readonly holder: { kind: 'app'; pid: number } | { kind: 'self' }
  close(): Promise<void>
}
