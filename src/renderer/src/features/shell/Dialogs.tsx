import { CreateConnectionDialog } from '../connections/CreateConnectionDialog'
import { DeleteConnectionDialog } from '../connections/DeleteConnectionDialog'
import { EditConnectionDialog } from '../connections/EditConnectionDialog'
import { RotateDialog } from '../connections/RotateDialog'
import { CommandPalette } from '../palette/CommandPalette'
import { SettingsDialog } from '../settings/SettingsDialog'
import { uiSelectors, useUiStore } from '../../stores/ui-store'

/** The one open dialog, from the UI store, so shortcuts, the palette and buttons all open the same way. */
export function Dialogs() {
  const dialog = useUiStore(uiSelectors.dialog)
  const close = useUiStore((s) => s.closeDialog)
  switch (dialog.kind) {
    case 'create':
      return <CreateConnectionDialog onClose={close} />
    case 'edit':
      return <EditConnectionDialog key={dialog.id} id={dialog.id} onClose={close} />
    case 'rotate':
      return <RotateDialog key={dialog.id} id={dialog.id} onClose={close} />
    case 'delete':
      return <DeleteConnectionDialog key={dialog.id} id={dialog.id} onClose={close} />
    case 'palette':
      return <CommandPalette onClose={close} />
    case 'settings':
      return <SettingsDialog onClose={close} />
    case 'none':
      return null
  }
}
