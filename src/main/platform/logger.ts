/** Logs carry events and ids, never inputs: a secret must not reach a log by accident. */
export interface Logger {
  info(message: string, fields?: Record<string, string | number | boolean>): void
  error(message: string, fields?: Record<string, string | number | boolean>): void
}

export function createStderrLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string, message: string, fields?: Record<string, string | number | boolean>) =>
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`)
  return {
    info: (message, fields) => write('info', message, fields),
    error: (message, fields) => write('error', message, fields),
  }
}

export const silentLogger: Logger = { info() {}, error() {} }
