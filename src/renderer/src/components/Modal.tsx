import * as Dialog from '@radix-ui/react-dialog'
import { useState, type ReactNode } from 'react'

interface Props {
  open: boolean
  onClose(): void
  title: string
  description?: string
  children: ReactNode
  role?: 'dialog' | 'alertdialog'
  wide?: boolean
  /**
   * Something was typed that closing would lose. A click outside or Escape then asks first
   * ("Discard changes?") instead of closing; Cancel and the close paths the form calls itself
   * are deliberate and close at once.
   */
  dirty?: boolean
}

/** Radix Dialog with our frame: focus trapped, Escape closes, title and description announced. */
export function Modal({ open, onClose, title, description, children, role = 'dialog', wide, dirty }: Props) {
  const [confirming, setConfirming] = useState(false)
  const guard = (event: Event) => {
    if (!dirty) return
    event.preventDefault()
    setConfirming(true)
  }
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !next && (dirty ? setConfirming(true) : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content
          className={wide ? 'modal wide' : 'modal'}
          role={role}
          onInteractOutside={guard}
          onEscapeKeyDown={(event) => {
            // Escape while asking means "keep editing", not a second request to close.
            if (confirming) {
              event.preventDefault()
              setConfirming(false)
              return
            }
            guard(event)
          }}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <Dialog.Title className="modal-title" title={title}>
            {title}
          </Dialog.Title>
          {description ? <Dialog.Description className="muted">{description}</Dialog.Description> : null}
          {children}
          {confirming ? (
            <DiscardPrompt
              onKeep={() => setConfirming(false)}
              onDiscard={() => {
                setConfirming(false)
                onClose()
              }}
            />
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

/** Inside the dialog's own focus trap, over its form: the form stays as typed until Discard. */
function DiscardPrompt({ onKeep, onDiscard }: { onKeep(): void; onDiscard(): void }) {
  return (
    <div className="discard-prompt" role="alertdialog" aria-modal="true" aria-labelledby="discard-title">
      <div className="discard-box">
        <h3 id="discard-title">Discard changes?</h3>
        <p className="muted">What you typed in this dialog, secrets included, will be lost.</p>
        <div className="button-row end">
          <button type="button" className="primary" onClick={onKeep} autoFocus>
            Keep editing
          </button>
          <button type="button" className="danger" onClick={onDiscard}>
            Discard
          </button>
        </div>
      </div>
    </div>
  )
}
