/**
 * Each audit action as a person reads it. Keyed by string, not by the contract's union, so an
 * action added elsewhere still lists (under its own name) before it gets words here.
 */
export const ACTION_WORDS: Record<string, string> = {
  'vault.create': 'Vault created',
  'vault.unlock': 'Unlocked',
  'vault.unlock_failed': 'Unlock failed',
  'vault.lock': 'Locked',
  'vault.password_change': 'Master password changed',
  'vault.kdf_upgrade': 'Password key derivation upgraded',
  'connection.create': 'Connection created',
  'connection.update': 'Connection edited',
  'connection.rotate': 'Secret replaced',
  'connection.refresh': 'Token refreshed',
  'connection.refresh_failed': 'Token refresh failed',
  'connection.reconnect': 'Reconnected',
  'connection.delete': 'Connection deleted',
  'connection.replace': 'Flows moved to another connection',
  'connection.reveal': 'Secret revealed',
  'connection.copy': 'Secret copied',
  'connection.export': 'Exported',
  'policy.set': 'Policy set',
  'policy.remove': 'Policy removed',
  'settings.change': 'Settings changed',
  'remote.add': 'Remote added',
  'remote.update': 'Remote edited',
  'remote.remove': 'Remote removed',
  'sync.resolve': 'Sync conflict settled',
}

export const actionWords = (action: string) => ACTION_WORDS[action] ?? action
