import type { ComponentType } from 'react'
import { AccountView } from '../account/AccountView'
import { AuditView } from '../audit/AuditView'
import { BackupView } from '../backup/BackupView'
import { ConnectionsScreen } from '../connections/ConnectionsScreen'
import { HealthView } from '../health/HealthView'
import { useHealthBadge } from '../health/useHealthBadge'
import { PoliciesView } from '../policies/PoliciesView'
import { ReplaceView } from '../replace/ReplaceView'
import { SyncView, useSyncBadge } from '../sync/SyncView'

/**
 * One entry per view in the sidebar. Order is the sidebar's order and the shortcut's digit
 * (Ctrl/Cmd+1 is the first entry), so add a view with one line in the place it belongs.
 */
export interface ViewEntry {
  id: string
  label: string
  /** A short glyph shown before the label; decorative, the label is what is announced. */
  icon: string
  /** What the view is for, in the palette's "Go to" line and the sidebar's tooltip. */
  description: string
  component: ComponentType
  /**
   * How many things in this view need attention, for a count beside its name; null or 0 shows
   * none. Called as a hook on every render of the sidebar, so it must always call the same hooks.
   */
  useBadge?: () => number | null
}

export const VIEWS: ViewEntry[] = [
  {
    id: 'connections',
    label: 'Connections',
    icon: '⚷',
    description: 'Every connection, its secret and its health',
    component: ConnectionsScreen,
  },
  {
    id: 'health',
    label: 'Health',
    icon: '♥',
    description: 'Errors, missing connections, expiring tokens, refresh and sync problems',
    component: HealthView,
    useBadge: useHealthBadge,
  },
  {
    id: 'replace',
    label: 'Replace',
    icon: '⇄',
    description: 'Move every flow from one connection to another',
    component: ReplaceView,
  },
  {
    id: 'policies',
    label: 'Policies',
    icon: '⚖',
    description: 'Which connection each piece gets in each project, and why',
    component: PoliciesView,
  },
  {
    id: 'audit',
    label: 'Audit log',
    icon: '☰',
    description: 'Everything that happened in this vault, and whether the log is intact',
    component: AuditView,
  },
  {
    id: 'account',
    label: 'Account',
    icon: '⚙',
    description: 'Master password, locking, keychain unlock and secret timers',
    component: AccountView,
  },
  {
    id: 'sync',
    label: 'Sync',
    icon: '⟳',
    description: 'Remotes, how their sync stands, and conflicts to settle',
    component: SyncView,
    useBadge: useSyncBadge,
  },
  {
    id: 'backup',
    label: 'Backup & import',
    icon: '⤓',
    description: 'Encrypted backup and restore, import from other managers, plaintext export',
    component: BackupView,
  },
]

export function viewById(id: string): ViewEntry {
  return VIEWS.find((view) => view.id === id) ?? VIEWS[0]!
}

/** "Ctrl+3" for the third view; the ninth is the last a digit reaches. */
export function viewShortcut(index: number): string | undefined {
  return index < 9 ? `Ctrl+${index + 1}` : undefined
}
