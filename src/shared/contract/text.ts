import type { z } from 'zod'
import { fieldWordsAt } from './field-words'

/**
 * Text must be well-formed UTF-16: no surrogate half without its partner. SQLite stores text as
 * UTF-8, which cannot hold a lone surrogate, so it would store U+FFFD in its place: two different
 * external ids would read back as one (and an upsert with the read-back id would make a duplicate),
 * and the audit chain would hash text other than what the vault holds. Refused at the boundary
 * instead, for every string of every procedure (define.ts applies this to each input schema).
 */
export function isWellFormedText(text: string): boolean {
  // Most text has no surrogate at all, and a plain code-unit class answers that fastest; only text
  // with one asks the u-flag question: there a pair is one code point, so \p{Cs} matches only a
  // half on its own (String.prototype.isWellFormed is ES2024, past the lib this compiles against).
  return !ANY_SURROGATE.test(text) || !LONE_SURROGATE.test(text)
}

const ANY_SURROGATE = /[\uD800-\uDFFF]/
const LONE_SURROGATE = /\p{Cs}/u

/** The sentence for text that holds a lone surrogate: `label` names the field, `where` inside it. */
export function illFormedTextMessage(label: string, where = ''): string {
  return `${label} contains a broken character${where} (half of a UTF-16 surrogate pair, U+D800–U+DFFF, on its own). Only well-formed Unicode text is stored; paste the text again from its source.`
}

/** UTF-8 length, in the main process and the renderer alike. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length
}

const encoder = new TextEncoder()

/**
 * Walks a parsed input and adds one issue per string or object key that is not well-formed, with
 * its path. Plain data only: what JSON and structured clone deliver (no cycles past what a parsed
 * input can hold; the depth is bounded by the schemas that accept free-form JSON).
 */
export function refuseIllFormedText(value: unknown, context: z.RefinementCtx): void {
  visit(value, [], context, 0)
}

// `path` is one array pushed and popped as the walk goes (a batch of 500 items is ~10,000 values);
// a report copies it.

/** Deeper than any schema lets through (json-value.ts bounds free-form JSON well below this). */
const WALK_DEPTH_LIMIT = 256

function visit(value: unknown, path: PropertyKey[], context: z.RefinementCtx, depth: number): void {
  if (typeof value === 'string') {
    if (!isWellFormedText(value)) report(path, context)
    return
  }
  if (value === null || typeof value !== 'object' || depth > WALK_DEPTH_LIMIT) return
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      path.push(index)
      visit(value[index], path, context, depth + 1)
      path.pop()
    }
    return
  }
  for (const key of Object.keys(value)) {
    path.push(key)
    if (isWellFormedText(key)) visit((value as Record<string, unknown>)[key], path, context, depth + 1)
    else report(path, context)
    path.pop()
  }
}

function report(path: PropertyKey[], context: z.RefinementCtx): void {
  const at = [...path]
  context.addIssue({ code: 'custom', path: at, message: illFormedTextMessage(fieldWordsAt(at).label) })
}

/** A parsed input with every `undefined` member of its plain objects left out, at any depth. */
export function withoutUndefinedMembers<T>(value: T, depth = 0): T {
  // Deeper than any schema lets through (free-form JSON is bounded at 32 levels by json-value.ts).
  if (value === null || typeof value !== 'object' || depth > WALK_DEPTH_LIMIT) return value
  if (Array.isArray(value)) {
    for (const item of value) withoutUndefinedMembers(item, depth + 1)
    return value
  }
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key]
    if (member === undefined) delete (value as Record<string, unknown>)[key]
    else withoutUndefinedMembers(member, depth + 1)
  }
  return value
}
