import { spawn } from 'node:child_process'

/** Starts a program and forgets it. Injected so a test can record what would have run. */
export type LaunchProcess = (command: string, args: readonly string[]) => void

/**
 * The OS's "open this with its default application" command. Whatever is passed here ends up on a
 * command line, which every local user can read in the process list: pass a file path, never a URL
 * that carries a secret (browser mode's launcher-file.ts exists for that).
 */
export function openerCommand(
  target: string,
  platform: NodeJS.Platform = process.platform,
): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [target] }
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', target] }
  return { command: 'xdg-open', args: [target] }
}

/** Spawns without a shell, so the target is never interpreted, and detached so it outlives us. */
export const launchDetached: LaunchProcess = (command, args) => {
  const child = spawn(command, [...args], { stdio: 'ignore', detached: true })
  child.on('error', () => {
    // No opener on this machine: the URL is already printed for the user to open by hand.
  })
  child.unref()
}
