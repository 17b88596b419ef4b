import type { Page } from 'playwright-core'
import type { Pool } from 'pg'

import { beforeAll, describe, expect, it } from '@jest/globals'

import type { E2EApp } from './helpers/app.js'

import { demoLogins, generateDemoImage } from '../../scripts/seed.js'
import { asUploadFile } from '../helpers/images.js'
import { openSession } from './helpers/browser.js'
import { useBrowserSuite } from './helpers/suite.js'

const doctor = demoLogins().find((entry) => entry.email === 'dr.martin@clinic.test')
const patientEmail = 'patient.durand@clinic.test'

/** Every image of the shared gallery has loaded. */
const tilesLoaded = (page: Page, count: number) =>
  page.waitForFunction((expected) => {
    const images = [...document.querySelectorAll<HTMLImageElement>('.derma-share__tile img')]
    return images.length === expected && images.every((image) => image.complete && image.naturalWidth > 0)
  }, count)

describe('second-opinion share link in Chromium', () => {
  const suite = useBrowserSuite('e2e_share')
  let app: E2EApp
  let consultation: number
  let patientName: string
  /** The consultation's images: two consented for second opinion, one for care only. */
  let images: { careOnly: number; consented: number[] }

  beforeAll(async () => {
    app = suite.app()
    // Test set-up, not a user's action: a consultation of the demo doctor with three photos.
    const users = await app.payload.find({ collection: 'users', overrideAccess: true, where: { email: { in: [doctor?.email, patientEmail] } } })
    const userOf = (email: string | undefined) => users.docs.find((user) => user.email === email)
    patientName = String((userOf(patientEmail) as { name?: string } | undefined)?.name)
    const created = await app.payload.create({
      collection: 'consultations',
      data: { doctor: userOf(doctor?.email)?.id, patient: userOf(patientEmail)?.id, reason: 'Second opinion on a naevus' } as never,
      overrideAccess: true,
    })
    consultation = created.id
    const photo = async (seed: number, consentScopes: string[], bodySite: string) =>
      (
        await app.payload.create({
          collection: 'consultation-images',
          data: { bodySite, consentScopes, consultation, description: 'Irregular pigment network' } as never,
          file: asUploadFile(await generateDemoImage(seed), `${patientName}.jpg`),
          overrideAccess: true,
        })
      ).id
    images = {
      careOnly: await photo(3, ['care'], 'forearm'),
      consented: [await photo(1, ['care', 'second-opinion'], 'shoulder'), await photo(2, ['care', 'second-opinion'], 'upper-back')],
    }
  }, 600_000)

  it('should let the doctor share a consultation, show a stranger only the consented images without identity, and stop at once when revoked', async () => {
    const page = await suite.pageOf({ email: doctor?.email ?? '', password: doctor?.password ?? '' })
    await page.goto(`/admin/collections/consultations/${consultation}`)
    await page.getByRole('button', { exact: true, name: 'Images' }).click()
    await page.getByRole('button', { name: 'Share for second opinion' }).click()
    const drawer = page.locator('.derma-share-links__content')
    await drawer.getByText('2 images are consented for second opinion').waitFor()
    await drawer.getByText('Hide patient identity', { exact: false }).click()
    await drawer.getByText('The images’ descriptions are left out too', { exact: false }).waitFor()
    await drawer.locator('textarea').fill('Dermoscopy of the left shoulder: your view on the network?')
    await drawer.getByRole('button', { name: 'Create link' }).click()
    const urlField = drawer.locator('.derma-share-links__url input')
    await urlField.waitFor()
    const url = await urlField.inputValue()
    expect(url).toMatch(new RegExp(`^${app.baseURL}/share/[\\w-]{43}$`))
    await drawer.locator('.derma-share-links__link').first().waitFor()

    // A stranger: a new browser context, no cookies, no account.
    const browser = page.context().browser()
    if (!browser) {
      throw new Error('no browser')
    }
    const stranger = await openSession(browser, app.baseURL)
    stranger.allowConsoleError(/status of 404/)
    try {
      const response = await stranger.page.goto(url)
      const headers = response?.headers() ?? {}
      // No critical client hint: Chromium would resend this first visit's navigation with it.
      expect([response?.status(), headers['referrer-policy'], headers['x-robots-tag'], headers['critical-ch']]).toEqual([200, 'no-referrer', 'noindex, nofollow', undefined])
      await tilesLoaded(stranger.page, 2)
      const html = await stranger.page.content()
      expect([
        html.includes(patientName),
        html.includes('Second opinion on a naevus'),
        html.includes('Irregular pigment network'),
        /\b20\d\d\b/.test(await stranger.page.innerText('body')),
      ]).toEqual([false, false, false, false])
      await expect(stranger.page.locator('meta[name="robots"]').getAttribute('content')).resolves.toContain('noindex')
      await expect(stranger.page.locator('meta[name="referrer"]').getAttribute('content')).resolves.toBe('no-referrer')
      await stranger.page.getByText('Patient identity hidden').waitFor()
      await stranger.page.getByText('your view on the network?', { exact: false }).waitFor()
      expect((await stranger.page.locator('.derma-share__caption strong').allTextContents()).sort()).toEqual(['Shoulder', 'Upper back'])
      await stranger.page.locator('.derma-share__open').first().click()
      await stranger.page.waitForFunction(() => {
        const shown = document.querySelector<HTMLImageElement>('.yarl__slide_current img')
        return shown !== null && shown.complete && shown.naturalWidth > 0
      })
      await stranger.page.keyboard.press('Escape')

      await drawer.getByRole('button', { name: 'Revoke' }).click()
      await page.getByRole('button', { exact: true, name: 'Revoke' }).last().click()
      await page.getByText('Link revoked.').waitFor()

      const after = await stranger.page.reload()
      expect(after?.status()).toBe(404)
      await stranger.page.getByRole('heading', { name: 'This link has expired or was revoked' }).waitFor()
      expect(await stranger.page.locator('.derma-share__tile').count()).toBe(0)
      expect(stranger.unexpectedErrors()).toEqual([])
    } finally {
      await stranger.close()
    }

    // The trail, in SQL: creation, opening, each thumbnail and the preview, revocation, the refused reload.
    const pool = (app.payload.db as unknown as { pool: Pool }).pool
    const [link] = (await pool.query('SELECT id FROM share_links WHERE consultation_id = $1', [consultation])).rows as { id: number }[]
    const { rows } = await pool.query(
      `SELECT action, channel, variant, status::int AS status, patient FROM audit_events
        WHERE document_collection = 'share-links' AND document_id = $1 ORDER BY id`,
      [String(link?.id)],
    )
    const patient = String((await app.payload.find({ collection: 'users', overrideAccess: true, where: { email: { equals: patientEmail } } })).docs[0]?.id)
    const summary = (rows as { action: string; channel: string; patient: string; status: null | number; variant: string }[]).map(
      (row) => `${row.action}/${row.channel}/${row.variant.replace(/:\d+$/, '')}/${String(row.status)}/${row.patient === patient ? 'patient' : row.patient}`,
    )
    // One page load is one opening of the gallery; the lightbox may preload the neighbouring preview too.
    expect(summary.filter((entry) => entry.startsWith('share-open/share/preview/200/patient')).length).toBeGreaterThanOrEqual(1)
    expect(summary.filter((entry) => !entry.startsWith('share-open/share/preview/'))).toEqual([
      'share/rest/create/null/patient',
      'share-open/share/gallery/200/patient',
      'share-open/share/thumbnail/200/patient',
      'share-open/share/thumbnail/200/patient',
      'share/rest/revoke/null/patient',
      'denied/share/revoked/404/patient',
    ])
    const opened = rows.flatMap((row: { variant: string }) => (row.variant.startsWith('thumbnail:') ? [Number(row.variant.split(':')[1])] : []))
    expect(opened.sort()).toEqual([...images.consented].sort())
    expect(opened).not.toContain(images.careOnly)
    expect(app.serverOutput()).not.toContain(url.slice(url.lastIndexOf('/') + 1))
  })

  it('should print no token in the server’s output when the page fails', async () => {
    const login = await fetch(`${app.baseURL}/api/users/login`, {
      body: JSON.stringify({ email: doctor?.email, password: doctor?.password }),
      headers: { 'Content-Type': 'application/json' },
      method: 'POST',
    })
    const { token: jwt } = (await login.json()) as { token: string }
    const created = await fetch(`${app.baseURL}/api/share-links`, {
      body: JSON.stringify({ consultation }),
      headers: { Authorization: `JWT ${jwt}`, 'Content-Type': 'application/json' },
      method: 'POST',
    })
    const { doc } = (await created.json()) as { doc: { token: string; url: string } }
    const pool = (app.payload.db as unknown as { pool: Pool }).pool
    const before = app.serverOutput().length
    await pool.query('ALTER TABLE audit_events RENAME TO audit_events_unavailable')
    try {
      // The opening cannot be audited: the page fails closed (500) and the server logs the error.
      const response = await fetch(`${app.baseURL}${doc.url}`)
      await response.text()
      expect(response.status).toBe(500)
    } finally {
      await pool.query('ALTER TABLE audit_events_unavailable RENAME TO audit_events')
    }
    const output = () => app.serverOutput().slice(before)
    const logged = Date.now() + 10_000
    while (!output().includes('the share page cannot be shown right now') && Date.now() < logged) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect([output().includes('the share page cannot be shown right now'), output().includes(doc.token)]).toEqual([true, false])
  })
})
