// Types for the launcher scripts, which run as plain .mjs before anything is built.
export function displayProblem(options?: {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
}): string | null
export function prepareDesktop(options: {
  root: string
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  log?: { write(text: string): unknown }
}): Promise<string | null>
