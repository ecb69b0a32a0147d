import * as Dialog from '@radix-ui/react-dialog'
import type { ReactNode } from 'react'

interface Props {
  open: boolean
  onClose(): void
  title: string
  description?: string
  children: ReactNode
  role?: 'dialog' | 'alertdialog'
  wide?: boolean
}

/** Radix Dialog with our frame: focus trapped, Escape closes, title and description announced. */
export function Modal({ open, onClose, title, description, children, role = 'dialog', wide }: Props) {
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !next && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content
          className={wide ? 'modal wide' : 'modal'}
          role={role}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <Dialog.Title className="modal-title">{title}</Dialog.Title>
          {description ? <Dialog.Description className="muted">{description}</Dialog.Description> : null}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
