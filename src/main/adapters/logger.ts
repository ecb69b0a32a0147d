/** Logs carry events and ids, never inputs: a secret must not reach a log by accident. */
export interface Logger {
  info(message: string, fields?: Record<string, string | number | boolean>): void
  error(message: string, fields?: Record<string, string | number | boolean>): void
}
