import { TRANSFER_CHUNK_BYTES } from '../../../../shared/contract/transfer'
import { api } from '../../stores/api'

// Files cross to main and back in 2 MiB chunks through the contract (transfer.upload and
// transfer.download), which every host carries the same way: browser mode's request bodies are
// capped at 4 MiB, and a whole vault may be far larger.

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Sends a file the person picked to main; answers the staged file's id. */
export async function uploadFile(
  file: Blob,
  onProgress?: (done: number, total: number) => void,
): Promise<string> {
  let transferId: string | undefined
  let offset = 0
  do {
    const chunk = new Uint8Array(await file.slice(offset, offset + TRANSFER_CHUNK_BYTES).arrayBuffer())
    const staged = await api().transfer.upload({ transferId, data: toBase64(chunk) })
    transferId = staged.transferId
    offset += chunk.length
    onProgress?.(offset, file.size)
  } while (offset < file.size)
  return transferId
}

/** Reads a staged file out of main, chunk by chunk. */
export async function downloadFile(transferId: string): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = []
  let offset = 0
  for (;;) {
    const chunk = await api().transfer.download({ transferId, offset })
    const bytes = fromBase64(chunk.data)
    parts.push(bytes)
    offset += bytes.length
    if (chunk.done) break
  }
  void api()
    .transfer.discard({ transferId })
    .catch(() => undefined)
  return new Blob(parts, { type: 'application/octet-stream' })
}

/** Hands a file to the browser's (or Electron's) own download, which asks where to save it. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has its own copy once started; the page keeps no plaintext longer than it must.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
