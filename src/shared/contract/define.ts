import type { z } from 'zod'
import { refuseIllFormedText, withoutUndefinedMembers } from './text'

/** A procedure: the schema main validates its input with, and (as a phantom type) what it answers. */
export interface Procedure<Input extends z.ZodType, Output> {
  readonly input: Input
  readonly _output?: Output
}

export interface EventDef<Payload> {
  readonly _payload?: Payload
}

/**
 * Every procedure's input refuses text that is not well-formed UTF-16 (text.ts), wherever it sits:
 * one check for every string of every procedure, those added later included. A member whose value
 * is `undefined` is absent, as it is once JSON carries it: desktop IPC's structured clone keeps it,
 * and a handler that spread the input into an audit entry answered 500 for `{ field: undefined }`.
 */
export const procedure = <Input extends z.ZodType>(input: Input) => ({
  returns: <Output>(): Procedure<Input, Output> => ({
    // Typed as the schema given: the check and the transform change neither its input nor its
    // output type, and the router (its only caller at run time) uses only safeParse.
    input: input
      .superRefine(refuseIllFormedText)
      .transform((value) => withoutUndefinedMembers(value)) as unknown as Input,
  }),
})

export const event = <Payload>(): EventDef<Payload> => ({})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProcedure = Procedure<z.ZodType, any>
export type ProcedureMap = Record<`${string}.${string}`, AnyProcedure>
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventMap = Record<string, EventDef<any>>

export type InputOf<P> = P extends Procedure<infer I, unknown> ? z.input<I> : never
export type ParsedInputOf<P> = P extends Procedure<infer I, unknown> ? z.output<I> : never
export type OutputOf<P> = P extends Procedure<z.ZodType, infer O> ? O : never
export type PayloadOf<E> = E extends EventDef<infer P> ? P : never
