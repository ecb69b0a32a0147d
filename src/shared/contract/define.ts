import type { z } from 'zod'
import { refuseIllFormedText } from './text'

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
 * one check for every string of every procedure, those added later included.
 */
export const procedure = <Input extends z.ZodType>(input: Input) => ({
  returns: <Output>(): Procedure<Input, Output> => ({ input: input.superRefine(refuseIllFormedText) }),
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
