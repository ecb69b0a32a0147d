export interface ServerSentEvent {
  event: string
  data: string
}

/**
 * Incremental parser for a text/event-stream body. We read the stream with fetch rather than
 * EventSource because EventSource cannot send the Authorization header, and the session token
 * must not travel in a URL.
 */
export function createSseParser(onEvent: (event: ServerSentEvent) => void): (chunk: string) => void {
  let buffer = ''
  return (chunk) => {
    buffer += chunk.replace(/\r\n?/g, '\n')
    let boundary = buffer.indexOf('\n\n')
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary)
      buffer = buffer.slice(boundary + 2)
      let event = 'message'
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue
        const colon = line.indexOf(':')
        const field = colon === -1 ? line : line.slice(0, colon)
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
        if (field === 'event') event = value
        else if (field === 'data') data.push(value)
      }
      if (data.length > 0) onEvent({ event, data: data.join('\n') })
      boundary = buffer.indexOf('\n\n')
    }
  }
}
