// Types for the launcher scripts, which run as plain .mjs before anything is built.
export interface ElectronBinaryStatus {
  version: string
  path: string
  present: boolean
}
export interface DownloadProgress {
  percent: number
  transferred: number
  total?: number
}
export interface ProgressStream {
  isTTY?: boolean
  write(text: string): unknown
}
export function electronExecutableName(platform?: NodeJS.Platform | 'mas'): string
export function electronBinaryStatus(options: {
  electronDir: string
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
}): ElectronBinaryStatus
export function progressReporter(stream?: ProgressStream): (progress: DownloadProgress) => void
export function downloadElectron(options: {
  electronDir: string
  onProgress?: (progress: DownloadProgress) => void
  env?: NodeJS.ProcessEnv
}): Promise<void>
export function firstLine(text: unknown): string
export function electronPackageDir(root: string): string
