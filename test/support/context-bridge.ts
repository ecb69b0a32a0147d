/**
 * What Electron's contextBridge does to a value passed between the preload's world and the page's,
 * for the kinds of value Latchkey's bridge uses: data is copied with the structured clone algorithm,
 * functions and promises are proxied (their arguments and results copied in turn), and an Error
 * thrown or rejected across arrives as a plain Error that keeps only its message
 * (electron/electron#28346). So an AppError's class, code and params do not survive it.
 */
export function acrossContextBridge<T>(value: T): T {
  return copy(value) as T
}

function copy(value: unknown): unknown {
  if (typeof value === 'function') return proxy(value as (...args: unknown[]) => unknown)
  if (value instanceof Promise)
    return value.then(copy, (error: unknown) => Promise.reject(messageOnly(error)))
  if (Array.isArray(value)) return value.map(copy)
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)]))
  return structuredClone(value)
}

function proxy(fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return (...args) => {
    let result: unknown
    try {
      result = fn(...args.map(copy))
    } catch (error) {
      throw messageOnly(error)
    }
    return copy(result)
  }
}

function messageOnly(error: unknown): Error {
  return new Error(error instanceof Error ? error.message : String(error))
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}
