import Database from 'better-sqlite3'
import { join } from 'node:path'
import { readHeader } from './header'
import {
  deriveKeyFromPassword,
  parseKdf,
  PRODUCT_KDF_MINIMUM,
  serializeKdf,
  type DeriveKey,
  type KdfDescriptor,
  type KdfMinimum,
} from './kdf'
import { VAULT_FILE_NAME } from './vault-file-name'

/**
 * A head start on the password KDF for a process that knows the password before it has built the
 * core (the CLI with LATCHKEY_PASSWORD): the derivation runs on libuv's threads while the main thread
 * loads code and opens the vault, instead of after. Reads only the header's KDF settings, with the
 * same bounds and minimum unlock applies. Null when the header cannot be read that way (no vault,
 * another process holds it, damaged): unlock then derives as usual and reports what is wrong.
 *
 * The returned deriver hands the early key out once, and only for the same password and the same
 * settings; anything else derives afresh. The key buffer is the caller's to zero, as ever.
 */
export function startKeyDerivation(options: {
  dataDir: string
  password: string
  /** The product's unless a test's weak policy says otherwise. */
  minimum?: KdfMinimum
}): DeriveKey | null {
  const descriptor = readHeaderKdf(
    join(options.dataDir, VAULT_FILE_NAME),
    options.minimum ?? PRODUCT_KDF_MINIMUM,
  )
  if (!descriptor) return null
  let early: { password: string; kdf: string; key: Promise<Buffer> } | null = {
    password: options.password,
    kdf: serializeKdf(descriptor),
    key: deriveKeyFromPassword(options.password, descriptor),
  }
  // Awaited by unlock, or by nobody when the command fails first: never an unhandled rejection.
  early.key.catch(() => {})
  return (password, wanted) => {
    if (early && password === early.password && serializeKdf(wanted) === early.kdf) {
      const { key } = early
      early = null
      return key
    }
    return deriveKeyFromPassword(password, wanted)
  }
}

function readHeaderKdf(vaultPath: string, minimum: KdfMinimum): KdfDescriptor | null {
  let db: Database.Database | null = null
  try {
    // No busy wait: a vault held by another process is that process's to report, at once.
    db = new Database(vaultPath, { readonly: true, fileMustExist: true, timeout: 0 })
    const header = readHeader(db)
    return header ? parseKdf(header.kdf, minimum) : null
  } catch {
    return null
  } finally {
    db?.close()
  }
}
