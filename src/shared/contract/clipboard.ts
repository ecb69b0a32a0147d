import { z } from 'zod'
import { procedure } from './define'

/**
 * Copy goes through main so that it is audited and, on the desktop, never passes through the
 * renderer at all. Browser mode has no OS clipboard of its own to write (it may run headless, or on
 * another session), so there main hands the text to the page, which writes it with
 * navigator.clipboard and clears it later only if it still holds it.
 */
export type CopyDelivery =
  | { delivery: 'system'; clearAfterSeconds: number }
  | { delivery: 'renderer'; text: string; clearAfterSeconds: number }

export const clipboardProcedures = {
  'clipboard.copySecret': procedure(
    z
      .object({
        connectionId: z.string().min(1).max(200),
        /**
         * Which part of the value: a value field (`password`, `access_token`…) or, for CUSTOM_AUTH,
         * a prop name. Omitted, main picks the one a person usually wants (the secret text, the
         * password, the access token, the only prop).
         */
        field: z.string().min(1).max(200).optional(),
      })
      .strict(),
  ).returns<CopyDelivery>(),
}
