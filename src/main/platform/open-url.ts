import { spawn } from 'node:child_process'

/** Opens a URL in the user's default browser without a shell, so the URL is never interpreted. */
export function openInSystemBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  const [command, args] =
    platform === 'darwin'
      ? ['open', [url]]
      : platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]]
  const child = spawn(command, args, { stdio: 'ignore', detached: true })
  child.on('error', () => {
    // No opener on this machine: the URL is already printed for the user to open by hand.
  })
  child.unref()
}
