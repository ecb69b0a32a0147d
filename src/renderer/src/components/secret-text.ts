// A textarea normalizes line breaks (HTML's value API answers LF for CR LF and a lone CR), so a
// secret is kept as raw text beside it and every edit is mapped back onto that raw text.

/** What a textarea shows and answers for `raw`: it turns CR LF and lone CR into LF (HTML's value normalization). */
export const shown = (raw: string) => (raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw)

/** The index in `raw` of index `at` in its normalized form (a CR LF pair is one character there). */
function rawIndex(raw: string, at: number): number {
  let index = 0
  for (let seen = 0; seen < at && index < raw.length; seen += 1) {
    index += raw[index] === '\r' && raw[index + 1] === '\n' ? 2 : 1
  }
  return index
}

/** `raw` with normalized range [start, end) replaced by `inserted`, every other byte untouched. */
export function splice(raw: string, start: number, end: number, inserted: string): string {
  return raw.slice(0, rawIndex(raw, start)) + inserted + raw.slice(rawIndex(raw, end))
}

/**
 * An edit the textarea reports (its whole normalized text) applied to `raw`: only the span between
 * the unchanged start and end is replaced, so carriage returns elsewhere survive typing.
 */
export function applyEdit(raw: string, next: string): string {
  if (!raw.includes('\r')) return next
  const before = shown(raw)
  const limit = Math.min(before.length, next.length)
  let head = 0
  while (head < limit && before[head] === next[head]) head += 1
  let tail = 0
  while (tail < limit - head && before[before.length - 1 - tail] === next[next.length - 1 - tail]) tail += 1
  return splice(raw, head, before.length - tail, next.slice(head, next.length - tail))
}
