/** The OS clipboard, for hosts that have one they may write (the desktop: Electron's clipboard). */
export interface SystemClipboard {
  readText(): string
  writeText(text: string): void
}
