import type { Logger } from '../adapters/logger'

/** One JSON line per event, so a log can be filtered by field without parsing prose. */
export function createStderrLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string, message: string, fields?: Record<string, string | number | boolean>) =>
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`)
  return {
    info: (message, fields) => write('info', message, fields),
    error: (message, fields) => write('error', message, fields),
  }
}

export const silentLogger: Logger = { info() {}, error() {} }
