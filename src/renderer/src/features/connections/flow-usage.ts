import type { FlowReference } from '../../../../shared/contract'

/** How many flows use a connection, active (they block a plain delete) and inactive. */
export interface FlowUsage {
  active: number
  inactive: number
  total: number
  /** Names of the active flows, for "Sync tickets, Daily digest". */
  activeNames: string[]
}

export function flowUsageOf(flows: readonly FlowReference[]): FlowUsage {
  const active = flows.filter((flow) => flow.active)
  return {
    active: active.length,
    inactive: flows.length - active.length,
    total: flows.length,
    activeNames: active.map((flow) => flow.flowName ?? flow.flowId),
  }
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** "2 active flows and 1 inactive flow", "1 active flow", "no flow". */
export function flowCountText({ active, inactive }: FlowUsage): string {
  if (active === 0 && inactive === 0) return 'no flow'
  const parts = [
    active > 0 ? count(active, 'active flow', 'active flows') : '',
    inactive > 0 ? count(inactive, 'inactive flow', 'inactive flows') : '',
  ].filter(Boolean)
  return parts.join(' and ')
}

/** The sentence the delete confirmation opens with. */
export function usageSentence(usage: FlowUsage): string {
  return usage.total === 0 ? 'No flow uses it.' : `Used by ${flowCountText(usage)}.`
}

/** "3 flows", for a button that moves all of them. */
export const flowsText = (n: number) => count(n, 'flow', 'flows')
