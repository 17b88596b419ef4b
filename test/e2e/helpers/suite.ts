import type { Browser, Page } from 'playwright-core'

import { afterAll, afterEach, beforeAll, expect } from '@jest/globals'

import type { E2EApp } from './app.js'
import type { Session } from './browser.js'

import { startApp } from './app.js'
import { launchBrowser, logIn, openSession } from './browser.js'

/**
 * The frame of a browser test file: the app and Chromium started once (before the file's own
 * `beforeAll`), a fresh logged-in session per test whose console errors fail that test, and
 * everything stopped at the end, in reverse order, even after a failed start.
 */
export const useBrowserSuite = (label: string) => {
  const cleanups: (() => Promise<void>)[] = []
  let app: E2EApp | undefined
  let browser: Browser | undefined
  let session: Session | undefined

  beforeAll(async () => {
    const started = await startApp(label)
    app = started
    cleanups.push(() => started.stop())
    const launched = await launchBrowser()
    browser = launched
    cleanups.push(() => launched.close())
  }, 600_000)

  afterEach(async () => {
    const errors = session?.unexpectedErrors() ?? []
    await session?.close()
    session = undefined
    expect(errors).toEqual([])
  })

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup()
    }
  })

  const started = (): { app: E2EApp; browser: Browser } => {
    if (!app || !browser) {
      throw new Error('the browser suite has not started')
    }
    return { app, browser }
  }

  return {
    /** Declares a console error the current test causes on purpose. */
    allowConsoleError: (pattern: RegExp) => session?.allowConsoleError(pattern),
    app: () => started().app,
    /** A new browser session logged in through the admin's form; its console is checked after the test. */
    pageOf: async (who: { email: string; password: string }, locale?: string): Promise<Page> => {
      const { app: current, browser: chromium } = started()
      session = await openSession(chromium, current.baseURL, { locale })
      await logIn(session.page, who.email, who.password)
      return session.page
    },
  }
}
