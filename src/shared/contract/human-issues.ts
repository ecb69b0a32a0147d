import type { z } from 'zod'
import type { FieldIssue } from '../errors'
import { enumValueWords, fieldWordsAt, listInWords, type FieldWords } from './field-words'

/**
 * Turns zod's issues into sentences for people: each names its field in words and states what is
 * allowed ("Lock after idle must be a whole number of minutes from 0 to 1440."). A message written
 * on the schema itself wins (zod asks the schema first); this covers every field that has none, so
 * no "Invalid input: expected number, received null" reaches a screen. Used by main's router for
 * every procedure, and by forms that check a draft against the same schema before sending it.
 */

interface Range {
  min?: number
  max?: number
  whole: boolean
}

interface CheckDef {
  check?: string
  value?: unknown
  inclusive?: boolean
  minimum?: number
  maximum?: number
  length?: number
  format?: string
}

type RawIssue = z.core.$ZodRawIssue & { schema?: z.core.$ZodType; inst?: unknown }

/** The whole allowed range of a number, string or list, read from its schema's checks. */
function rangeOf(schema: z.core.$ZodType | undefined): Range {
  const range: Range = { whole: false }
  const checks = (schema?._zod.def as { checks?: { _zod: { def: CheckDef } }[] } | undefined)?.checks ?? []
  for (const { _zod } of checks) {
    const def = _zod.def
    if (def.check === 'number_format' && def.format?.includes('int')) range.whole = true
    if (def.check === 'greater_than' && typeof def.value === 'number')
      range.min = def.inclusive ? def.value : def.value + (range.whole ? 1 : 0)
    if (def.check === 'less_than' && typeof def.value === 'number')
      range.max = def.inclusive ? def.value : def.value - (range.whole ? 1 : 0)
    if (def.check === 'min_length' && def.minimum !== undefined) range.min = def.minimum
    if (def.check === 'max_length' && def.maximum !== undefined) range.max = def.maximum
    if (def.check === 'length_equals' && def.length !== undefined) range.min = range.max = def.length
  }
  return range
}

function betweenWords({ min, max }: Range, noun: string): string {
  if (min !== undefined && max !== undefined)
    return min === max ? `exactly ${min} ${noun}` : `from ${min} to ${max} ${noun}`
  if (min !== undefined) return `at least ${min} ${noun}`
  if (max !== undefined) return `at most ${max} ${noun}`
  return noun
}

function numberMessage({ label, unit }: FieldWords, range: Range): string {
  const kind = range.whole ? 'a whole number' : 'a number'
  const of = unit ? ` of ${unit}` : ''
  const bounds = betweenWords(range, '').trim()
  return `${label} must be ${kind}${of}${bounds ? ` ${bounds}` : ''}.`
}

function textMessage({ label }: FieldWords, range: Range, input: unknown, missing = false): string {
  if (missing || ((input === '' || input === undefined) && (range.min ?? 0) > 0)) {
    return range.max !== undefined
      ? `${label} is required (up to ${range.max} characters).`
      : `${label} is required.`
  }
  return `${label} must be ${betweenWords(range, 'characters')} long.`
}

function listMessage({ label }: FieldWords, range: Range): string {
  return `${label} must hold ${betweenWords(range, 'items')}.`
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  boolean: 'on or off (true or false)',
  object: 'a set of named values',
  record: 'a set of named values',
  array: 'a list',
  date: 'a date',
}

function messageFor(issue: RawIssue): string | undefined {
  const words = fieldWordsAt(issue.path ?? [])
  const schema = issue.schema ?? (issue.inst as z.core.$ZodType | undefined)
  const schemaType = (schema?._zod?.def as { type?: string } | undefined)?.type
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected as string
      if (issue.input === undefined) {
        if (expected === 'number' || expected === 'int')
          return numberMessage(words, rangeOf(schema)).replace(' must be ', ' is required: ')
        if (expected === 'string') return textMessage(words, rangeOf(schema), undefined, true)
        return `${words.label} is required.`
      }
      if (expected === 'number' || expected === 'int') return numberMessage(words, rangeOf(schema))
      if (expected === 'string') return `${words.label} must be text.`
      return `${words.label} must be ${TYPE_WORDS[expected] ?? expected}.`
    }
    case 'too_small':
    case 'too_big': {
      const range = rangeOf(schema)
      if (issue.origin === 'number' || issue.origin === 'int' || schemaType === 'number')
        return numberMessage(words, range)
      if (issue.origin === 'string') return textMessage(words, range, issue.input)
      if (issue.origin === 'array' || issue.origin === 'set') return listMessage(words, range)
      return undefined
    }
    case 'invalid_value': {
      const values = (issue.values as unknown[]).map((value) => enumValueWords(value))
      return values.length === 1
        ? `${words.label} must be ${values[0]}.`
        : `${words.label} must be one of: ${listInWords(values)}.`
    }
    case 'invalid_format':
      if (issue.format === 'url')
        return `${words.label} must be a full web address, such as https://example.com/oauth/token.`
      return `${words.label} is not a valid ${issue.format}.`
    case 'unrecognized_keys': {
      const keys = (issue.keys as string[]).map((key) => `“${key}”`)
      const where = issue.path && issue.path.length > 0 ? ` in ${words.label}` : ''
      return keys.length === 1
        ? `${keys[0]} is not a field Latchkey knows${where}.`
        : `${listInWords(keys)} are not fields Latchkey knows${where}.`
    }
    case 'not_multiple_of':
      return `${words.label} must be a multiple of ${String(issue.divisor)}.`
    case 'invalid_union':
      return `${words.label} is not in a form Latchkey accepts.`
    case 'invalid_key':
      return `${words.label} has a name Latchkey does not accept.`
    case 'invalid_element':
      return `${words.label} holds a value Latchkey does not accept.`
    default:
      return `${words.label} is not valid.`
  }
}

/** The error map: pass it as `schema.safeParse(input, { error: humanIssueMessage })`. */
export const humanIssueMessage = (issue: z.core.$ZodRawIssue): string | undefined =>
  messageFor(issue as RawIssue)

/** Every issue, in the order zod found them: the field's path for forms, and the sentence. */
export function fieldIssuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
}

/**
 * One message for callers that show a single line (the CLI, a toast): every sentence already names
 * its field, so they read as they are, joined; past a handful the rest are counted.
 */
export function summarizeIssues(issues: FieldIssue[], shown = 4): string {
  if (issues.length === 0) return 'The request is not valid.'
  const head = issues.slice(0, shown).map((issue) => `${itemPrefix(issue.path)}${issue.message}`)
  const rest = issues.length - head.length
  return rest > 0
    ? `${head.join(' ')} And ${rest} more ${rest === 1 ? 'problem' : 'problems'}.`
    : head.join(' ')
}

/**
 * A sentence about one item of a list (a batch's `items.3.value.type`) does not say which item on
 * its own; the one-line summary does, counting from 1 as a person would.
 */
function itemPrefix(path: string): string {
  const index = path.split('.').find((segment) => /^\d+$/.test(segment))
  return index === undefined ? '' : `Item ${Number(index) + 1}: `
}

/**
 * A form's check before it sends: the same schema main will apply, worded the same way, so the
 * person sees every problem at once and main's answer never differs from the form's.
 */
export function issuesFor(schema: z.ZodType, input: unknown): FieldIssue[] {
  const parsed = schema.safeParse(input, { error: humanIssueMessage })
  return parsed.success ? [] : fieldIssuesOf(parsed.error)
}

/** The first issue of each field, keyed by its path, for showing beside the field. */
export function issuesByField(issues: readonly FieldIssue[]): Record<string, string> {
  const byField: Record<string, string> = {}
  for (const issue of issues) byField[issue.path] ??= issue.message
  return byField
}
