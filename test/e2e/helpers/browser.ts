import type { Browser, BrowserContext, Page } from 'playwright-core'

import fs from 'node:fs'
import { chromium } from 'playwright-core'

/** Debian's Chromium (`apt-get install -y chromium`), or CHROMIUM_PATH. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const launchBrowser = (): Promise<Browser> => {
  if (!fs.existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH.`)
  }
  return chromium.launch({
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    executablePath,
  })
}

export type Session = {
  /** Declares one console error the test causes on purpose (e.g. the browser's line for a 4xx). */
  allowConsoleError: (pattern: RegExp) => void
  close: () => Promise<void>
  context: BrowserContext
  /** The console and page errors that no `allowConsoleError` pattern covers: a test fails on any. */
  unexpectedErrors: () => string[]
  page: Page
}

/** A fresh browser context (no cookies) that records console errors and uncaught exceptions. */
export const openSession = async (
  browser: Browser,
  baseURL: string,
  options: { colorScheme?: 'dark' | 'light'; locale?: string; theme?: 'dark' | 'light' } = {},
): Promise<Session> => {
  const context = await browser.newContext({
    acceptDownloads: true,
    baseURL,
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-GB',
    viewport: { height: 1000, width: 1440 },
  })
  if (options.theme) {
    await context.addCookies([{ name: 'payload-theme', url: baseURL, value: options.theme }])
  }
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(`console: ${message.text()}`)
    }
  })
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`))
  const allowed: RegExp[] = []
  return {
    allowConsoleError: (pattern) => allowed.push(pattern),
    close: () => context.close(),
    context,
    page,
    unexpectedErrors: () => errors.filter((error) => !allowed.some((pattern) => pattern.test(error))),
  }
}

/** Logs in through the admin's own login form, as a person would. */
export const logIn = async (page: Page, email: string, password: string): Promise<void> => {
  await page.goto('/admin/login')
  await page.locator('#field-email').fill(email)
  await page.locator('#field-password').fill(password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL((url) => url.pathname === '/admin' || url.pathname === '/admin/')
}
