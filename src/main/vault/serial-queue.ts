/** Runs async work one at a time, in call order; a failure does not stop the work queued after it. */
export function createSerialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve()
  return (work) => {
    const run = queue.then(work, work)
    queue = run.catch(() => undefined)
    return run
  }
}
