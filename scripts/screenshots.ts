/**
 * Takes the README's admin screenshots from a running demo (`npm run dev`) with Debian's Chromium:
 * `tsx scripts/screenshots.ts [baseURL]`.
 */
import type { Page } from 'playwright-core'

import { chromium } from 'playwright-core'

const baseURL = process.argv[2] ?? 'http://localhost:3000'
const out = new URL('../docs/screenshots/', import.meta.url).pathname

/** Waits until the admin has loaded everything it shows: no request in flight, no "Loading". */
const settle = async (page: Page): Promise<void> => {
  await page.waitForLoadState('networkidle')
  await page.getByText(/^Loading/).first().waitFor({ state: 'detached' }).catch(() => undefined)
  await page.waitForLoadState('networkidle')
}

const browser = await chromium.launch({
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
})
try {
  const context = await browser.newContext({ baseURL, viewport: { height: 900, width: 1440 } })
  const page = await context.newPage()
  const login = await page.request.post('/api/users/login', {
    data: { email: 'dr.martin@clinic.test', password: 'demo-doctor-2026' },
  })
  if (!login.ok()) {
    throw new Error(`login failed: ${login.status()}`)
  }
  await page.goto('/admin/collections/consultation-images')
  await page.locator('.table img').first().waitFor()
  await settle(page)
  await page.screenshot({ path: `${out}images-list.png` })
  const { docs } = (await (await page.request.get('/api/consultations?sort=-imagesTaken&limit=1')).json()) as { docs: { id: number }[] }
  await page.goto(`/admin/collections/consultations/${docs[0]?.id ?? 1}`)
  await page.locator('.derma-images-summary').waitFor()
  await settle(page)
  await page.screenshot({ path: `${out}consultation.png` })
} finally {
  await browser.close()
}
