import { useState, type ChangeEvent, type KeyboardEvent } from 'react'

interface Options {
  /** How many options the open list shows now. */
  count: number
  choose(index: number): void
  /** Escape on a closed list clears the choice; undefined when there is nothing to clear. */
  clear: (() => void) | undefined
}

/**
 * What the pickers' comboboxes share: focus opens the list, typing narrows it and highlights the
 * first option, the arrows move round it, Enter chooses, Escape closes the list and then clears the
 * choice. The list itself is the caller's, as it can only be known once `typed` is.
 */
export function useCombobox() {
  const [typed, setTyped] = useState<string | null>(null)
  const [active, setActive] = useState(0)
  const open = typed !== null
  const close = () => setTyped(null)

  function keys({ count, choose, clear }: Options) {
    const current = Math.min(active, Math.max(0, count - 1))
    function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
      const moves: Record<string, () => void> = {
        ArrowDown: () => (open ? setActive((current + 1) % Math.max(1, count)) : setTyped('')),
        ArrowUp: () => setActive((current - 1 + count) % Math.max(1, count)),
        Enter: () => {
          if (open && current < count) choose(current)
        },
        Escape: () => (open ? close() : clear?.()),
      }
      const move = moves[event.key]
      if (!move || (event.key === 'Escape' && !open && !clear)) return
      event.preventDefault()
      event.stopPropagation()
      move()
    }
    return { current, onKeyDown }
  }

  const inputHandlers = {
    onFocus: () => setTyped(''),
    onBlur: close,
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      setTyped(event.target.value)
      setActive(0)
    },
  }

  // No `open` here: the caller's own `typed !== null` narrows typed to a string.
  return { typed, close, keys, inputHandlers }
}
