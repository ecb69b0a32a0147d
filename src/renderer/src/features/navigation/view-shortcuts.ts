import { useNavigationStore } from './navigation-store'
import { VIEWS } from './views'

/**
 * Ctrl/Cmd+1…9 open the views in sidebar order. Returns whether the key was one of them, so the
 * shell's one keydown listener can stop there.
 */
export function goToViewByKey(event: KeyboardEvent): boolean {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return false
  // event.code, not event.key: Shift and non-US layouts change the character but not the key.
  const digit = /^Digit([1-9])$/.exec(event.code)?.[1] ?? /^[1-9]$/.exec(event.key)?.[0]
  if (!digit) return false
  const entry = VIEWS[Number(digit) - 1]
  if (!entry) return false
  useNavigationStore.getState().go(entry.id)
  return true
}
