/**
 * Takes the README's admin screenshots, light and dark, from a running demo (`npm run dev`, or
 * `npm run build && npm start`) with Debian's Chromium: `tsx scripts/screenshots.ts [baseURL]`.
 * Nothing is uploaded: the uploader is shown with files chosen but not sent. The share-link
 * pictures do change the demo: the shown consultation's images get the second-opinion consent
 * (recorded as by the demo doctor) and one link per theme is created, then revoked.
 */
import type { Page } from 'playwright-core'

import fs from 'node:fs/promises'
import { chromium } from 'playwright-core'

import { generateDemoImage } from './seed.js'

const baseURL = process.argv[2] ?? 'http://localhost:3000'
const out = new URL('../docs/screenshots/', import.meta.url).pathname
const heic = new URL('../test/fixtures/12mp.heic', import.meta.url).pathname

/** Waits until every image matching `selector` has loaded. */
const imagesLoaded = (page: Page, selector: string) =>
  page.waitForFunction((css) => {
    const images = [...document.querySelectorAll<HTMLImageElement>(css)]
    return images.length > 0 && images.every((image) => image.complete && image.naturalWidth > 0)
  }, selector)

/** Waits until no finite CSS transition or animation (drawer slide-in, lightbox fade) is running. */
const settled = (page: Page) =>
  page.waitForFunction(() =>
    document
      .getAnimations()
      .every((animation) => animation.playState !== 'running' || animation.effect?.getComputedTiming().endTime === Infinity),
  )

const browser = await chromium.launch({
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
})
try {
  for (const theme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ baseURL, colorScheme: theme, viewport: { height: 900, width: 1440 } })
    await context.addCookies([{ name: 'payload-theme', url: baseURL, value: theme }])
    const page = await context.newPage()
    const login = await page.request.post('/api/users/login', {
      data: { email: 'dr.martin@clinic.test', password: 'demo-doctor-2026' },
    })
    if (!login.ok()) {
      throw new Error(`login failed: ${login.status()}`)
    }
    const shot = async (name: string) => {
      await settled(page)
      await page.screenshot({ path: `${out}${name}-${theme}.png` })
    }

    await page.goto('/admin/collections/consultation-images')
    await page.locator('.derma-list-grid').getByRole('button', { name: 'Grid' }).click()
    await imagesLoaded(page, '.derma-list-grid__grid img')
    await shot('images-grid')
    await page.locator('.derma-list-grid').getByRole('button', { name: 'Table' }).click()

    const { docs } = (await (await page.request.get('/api/consultations?where[imagesTaken][equals]=true&limit=10')).json()) as {
      docs: { id: number }[]
    }
    const counts = await Promise.all(
      docs.map(async ({ id }) => {
        const list = (await (await page.request.get(`/api/consultations/${id}/images?limit=1`)).json()) as { totalDocs: number }
        return { count: list.totalDocs, id }
      }),
    )
    const [fullest] = counts.sort((a, b) => b.count - a.count)
    await page.goto(`/admin/collections/consultations/${fullest?.id ?? 1}`)
    await page.getByRole('button', { exact: true, name: 'Images' }).click()
    await imagesLoaded(page, '.derma-image-tile img')
    await shot('gallery')

    await page.locator('.derma-image-tile__open').first().click()
    await imagesLoaded(page, '.yarl__slide_current img')
    await shot('lightbox')
    await page.keyboard.press('Escape')
    await page.locator('.yarl__root').waitFor({ state: 'detached' })

    await page.locator('.derma-image-tile').nth(0).getByText('Compare', { exact: true }).click()
    await page.locator('.derma-image-tile').nth(1).getByText('Compare', { exact: true }).click()
    await page.getByRole('button', { name: 'Compare the 2 selected' }).click()
    await imagesLoaded(page, '.derma-compare__slider img')
    await shot('compare')
    await page.keyboard.press('Escape')

    // The seeded lesion with the longest history (baseline to post-treatment, three visits).
    const lesions = (await (await page.request.get('/api/lesions?limit=100&depth=0')).json()) as { docs: { id: number; label: string }[] }
    const lesion = lesions.docs.find((doc) => doc.label.startsWith('Naevus upper back')) ?? lesions.docs[0]
    if (lesion) {
      await page.goto(`/admin/collections/lesions/${lesion.id}`)
      // The timeline's heading just below the admin's sticky document header.
      await page.locator('.derma-lesion-timeline').evaluate((timeline) => {
        window.scrollTo(0, timeline.getBoundingClientRect().top + window.scrollY - 140)
      })
      // Lazy thumbnails: those on screen (the first three entries) load, the others wait.
      await imagesLoaded(page, '.derma-lesion-timeline__entry:nth-child(-n+3) img')
      await shot('lesion-timeline')
    }

    await page.goto(`/admin/collections/consultations/${fullest?.id ?? 1}`)
    await page.getByRole('button', { exact: true, name: 'Images' }).click()
    await page.getByRole('button', { name: 'Add images' }).click()
    await page.locator('.derma-uploader input[type="file"]').setInputFiles([
      { buffer: await generateDemoImage(3), mimeType: 'image/jpeg', name: 'left-cheek.jpg' },
      { buffer: await fs.readFile(heic), mimeType: 'image/heic', name: 'IMG_0042.HEIC' },
    ])
    await imagesLoaded(page, '.derma-upload-item img')
    await page.locator('.derma-uploader').scrollIntoViewIfNeeded()
    await shot('uploader')

    // Second-opinion share link: consent on the shown images, the drawer, then the recipient's page.
    const shown = (await (await page.request.get(`/api/consultations/${fullest?.id ?? 1}/images?limit=100`)).json()) as {
      docs: { consentScopes?: string[]; id: number }[]
    }
    for (const image of shown.docs.filter((doc) => !doc.consentScopes?.includes('second-opinion'))) {
      await page.request.patch(`/api/consultation-images/${image.id}`, { data: { consentScopes: [...(image.consentScopes ?? []), 'second-opinion'] } })
    }
    await page.reload()
    await page.getByRole('button', { exact: true, name: 'Images' }).click()
    await page.getByRole('button', { name: 'Share for second opinion' }).click()
    const drawer = page.locator('.derma-share-links__content')
    await drawer.locator('textarea').fill('Left shoulder naevus, dermoscopy included: would you excise?')
    await drawer.getByRole('button', { name: 'Create link' }).click()
    const urlField = drawer.locator('.derma-share-links__url input')
    await urlField.waitFor()
    await shot('share-drawer')
    const shareURL = await urlField.inputValue()
    const stranger = await browser.newContext({ colorScheme: theme, locale: 'en-GB', viewport: { height: 900, width: 1440 } })
    const recipient = await stranger.newPage()
    await recipient.goto(shareURL)
    await imagesLoaded(recipient, '.derma-share__tile img')
    await settled(recipient)
    await recipient.screenshot({ path: `${out}share-${theme}.png` })
    await stranger.close()
    await drawer.getByRole('button', { name: 'Revoke' }).first().click()
    await page.getByRole('button', { exact: true, name: 'Revoke' }).last().click()
    await page.getByText('Link revoked.').waitFor()
    await context.close()
  }
} finally {
  await browser.close()
}
