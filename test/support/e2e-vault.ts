import { expect, type Page } from '@playwright/test'
import type { LatchkeyApi } from '../../src/shared/client'

/** The page's `window.latchkey`, for arranging data through the same API the UI uses. */
export interface LatchkeyPage {
  latchkey: LatchkeyApi
}

export const E2E_PASSWORD = 'correct horse battery staple'

/** Creates the vault through its screen, as a person would, and waits for the empty list. */
export async function createVaultThroughUi(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Master password', { exact: true }).fill(E2E_PASSWORD)
  await page.getByLabel('Confirm password', { exact: true }).fill(E2E_PASSWORD)
  await page.getByRole('button', { name: 'Create vault' }).click()
  await expect(page.getByRole('heading', { name: 'No connections yet' })).toBeVisible()
}

export interface SeedConnection {
  name: string
  piece: string
  /** Secret text by default; an OAuth2 one gets a token that expires in `expiresIn` seconds. */
  secret?: string
  oauth2?: { type: 'OAUTH2' | 'PLATFORM_OAUTH2'; expiresIn: number }
}

/** Creates connections through the API and answers their ids by name. */
export async function seedConnections(page: Page, items: SeedConnection[]): Promise<Record<string, string>> {
  return page.evaluate(async (list) => {
    const { latchkey } = globalThis as unknown as LatchkeyPage
    const ids: Record<string, string> = {}
    for (const item of list) {
      const value = item.oauth2
        ? {
            type: item.oauth2.type,
            access_token: 'e2e-access-token',
            token_url: 'https://auth.example.com/token',
            expires_in: item.oauth2.expiresIn,
            claimed_at: Math.floor(Date.now() / 1000),
          }
        : { type: 'SECRET_TEXT' as const, secret_text: item.secret ?? `secret-of-${item.name}` }
      const { connection } = await latchkey.connections.create({
        displayName: item.name,
        pieceName: item.piece,
        type: value.type,
        value,
      } as Parameters<LatchkeyApi['connections']['create']>[0])
      ids[item.name] = connection.id
    }
    return ids
  }, items)
}

/** Records that a flow uses a connection, as sync would from a remote. */
export async function linkFlow(
  page: Page,
  flow: { flowId: string; connectionId: string; flowName: string; active: boolean },
): Promise<void> {
  await page.evaluate(async (f) => {
    await (globalThis as unknown as LatchkeyPage).latchkey.flows.link(f)
  }, flow)
}
