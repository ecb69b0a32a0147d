import type { VaultTestCore } from '../../support/vault'

/** Moves a staged file out of one core as the renderer would: chunk by chunk, base64 over the router. */
export async function downloadAll(core: VaultTestCore, transferId: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let offset = 0
  for (;;) {
    const chunk = await core.call<{ data: string; size: number; done: boolean }>('transfer.download', {
      transferId,
      offset,
      length: 64 * 1024,
    })
    const bytes = Buffer.from(chunk.data, 'base64')
    chunks.push(bytes)
    offset += bytes.length
    if (chunk.done) return Buffer.concat(chunks)
  }
}

/** Uploads bytes into another core, chunk by chunk, and answers the staged file's id. */
export async function uploadAll(core: VaultTestCore, bytes: Buffer, chunkBytes = 64 * 1024): Promise<string> {
  let transferId: string | undefined
  for (let offset = 0; offset < bytes.length || transferId === undefined; offset += chunkBytes) {
    const data = bytes.subarray(offset, offset + chunkBytes).toString('base64')
    const staged = await core.call<{ transferId: string }>('transfer.upload', { transferId, data })
    transferId = staged.transferId
  }
  return transferId
}
