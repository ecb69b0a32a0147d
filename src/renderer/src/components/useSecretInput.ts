import { useState, type ChangeEvent, type ClipboardEvent, type DragEvent } from 'react'
import {
  SECRET_FIELD_LIMIT_TEXT,
  SECRET_FIELD_MAX_BYTES,
  utf8Length,
} from '../../../shared/contract/connections'
import { applyEdit, shown, splice } from './secret-text'

const kib = (bytes: number) => `${Math.ceil(bytes / 1024).toLocaleString()} KiB`

const overLimit = (text: string) =>
  text.length * 3 > SECRET_FIELD_MAX_BYTES && utf8Length(text) > SECRET_FIELD_MAX_BYTES

/**
 * A secret textarea that keeps every byte and refuses oversize input before it renders.
 *
 * Bytes: a textarea normalizes line breaks to LF, so a Windows PEM (CR LF) pasted into a plain one
 * would lose its CRs. The form keeps the raw text; the textarea shows its normalized form; a paste
 * holding a CR is spliced into the raw text here, and typing replaces only the edited span.
 *
 * Size: a 1 MB paste used to take 1.6 s to appear, only to be refused on save. A paste or drop
 * that would take the field over the limit main enforces is cancelled before the browser inserts
 * it, with the limit in the message; nothing is ever truncated, the field keeps what it had.
 */
export function useSecretInput(label: string, value: string, onChange: (value: string) => void) {
  const [refusal, setRefusal] = useState<string | null>(null)

  /** True when the insert may go ahead; otherwise the event is cancelled and the refusal shown. */
  function allowInsert(
    event: { preventDefault(): void; currentTarget: HTMLTextAreaElement },
    text: string,
  ): boolean {
    const field = event.currentTarget
    // The pasted text alone is measured first, so a huge paste costs one pass over it.
    const pasted = utf8Length(text)
    const total =
      pasted > SECRET_FIELD_MAX_BYTES
        ? pasted
        : utf8Length(splice(value, field.selectionStart, field.selectionEnd, text))
    if (total <= SECRET_FIELD_MAX_BYTES) {
      setRefusal(null)
      return true
    }
    event.preventDefault()
    setRefusal(
      `Not pasted: that would make ${label.toLowerCase()} ${kib(total)}, and it holds ${SECRET_FIELD_LIMIT_TEXT}.`,
    )
    return false
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const text = event.clipboardData.getData('text/plain')
    if (!allowInsert(event, text) || !text.includes('\r')) return
    // The browser would drop the CRs: insert the exact text ourselves, and put the caret after it.
    event.preventDefault()
    const field = event.currentTarget
    const caret = field.selectionStart + shown(text).length
    onChange(splice(value, field.selectionStart, field.selectionEnd, text))
    requestAnimationFrame(() => field.setSelectionRange(caret, caret))
  }

  return {
    refusal,
    /** What the textarea's value prop gets, so React never rewrites it (and moves the caret). */
    display: shown(value),
    handlers: {
      onPaste,
      onDrop: (event: DragEvent<HTMLTextAreaElement>) => {
        allowInsert(event, event.dataTransfer.getData('text/plain'))
      },
      onChange: (event: ChangeEvent<HTMLTextAreaElement>) => {
        const next = applyEdit(value, event.target.value)
        // Typing, or an insert the handlers above could not see (autofill, IME): same limit.
        if (next.length > value.length && overLimit(next)) {
          setRefusal(`Not added: ${label.toLowerCase()} holds ${SECRET_FIELD_LIMIT_TEXT}.`)
          return
        }
        setRefusal(null)
        onChange(next)
      },
    },
  }
}
