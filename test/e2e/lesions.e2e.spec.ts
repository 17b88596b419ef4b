import type { Page } from 'playwright-core'

import { beforeAll, describe, expect, it } from '@jest/globals'

import type { E2EApp } from './helpers/app.js'

import { demoLogins, generateDemoImage } from '../../scripts/seed.js'
import { asUploadFile } from '../helpers/images.js'
import { useBrowserSuite } from './helpers/suite.js'

const doctor = demoLogins().find((entry) => entry.email === 'dr.martin@clinic.test')
const patientEmail = 'patient.durand@clinic.test'

describe('lesion timeline in Chromium', () => {
  const suite = useBrowserSuite('e2e_lesions')
  let app: E2EApp
  let lesion: number
  /** The later capture (uploaded first) and the earlier one, in two consultations. */
  let images: { earlier: { consultation: number; id: number }; later: { consultation: number; id: number } }

  beforeAll(async () => {
    app = suite.app()
    // Test set-up, not a user's action: the seeded accounts, two visits with one photo each, a lesion.
    const users = await app.payload.find({
      collection: 'users',
      overrideAccess: true,
      where: { email: { in: [doctor?.email, patientEmail] } },
    })
    const idOf = (email: string | undefined) => users.docs.find((user) => user.email === email)?.id
    const visit = async (date: string, captured: string) => {
      const consultation = await app.payload.create({
        collection: 'consultations',
        data: { date, doctor: idOf(doctor?.email), patient: idOf(patientEmail), reason: `Mole check ${date}` } as never,
        overrideAccess: true,
      })
      const bytes = await generateDemoImage(1, { exif: { date: new Date(captured), make: 'Apple', model: 'iPhone 15 Pro' } })
      const image = await app.payload.create({
        collection: 'consultation-images',
        data: { consultation: consultation.id } as never,
        file: asUploadFile(bytes),
        overrideAccess: true,
      })
      return { consultation: consultation.id, id: image.id }
    }
    const later = await visit('2026-06-02T09:00:00.000Z', '2026-06-02T09:05:00.000Z')
    const earlier = await visit('2026-01-12T09:00:00.000Z', '2026-01-12T09:05:00.000Z')
    images = { earlier, later }
    const created = await app.payload.create({
      collection: 'lesions',
      data: { bodySite: 'shoulder', label: 'Mole left shoulder #2', laterality: 'left', patient: idOf(patientEmail) } as never,
      overrideAccess: true,
    })
    lesion = created.id
  }, 600_000)

  const pageOfDoctor = (locale?: string): Promise<Page> =>
    suite.pageOf({ email: doctor?.email ?? '', password: doctor?.password ?? '' }, locale)

  /** Links the consultation's image to the lesion with a role, through the gallery's edit drawer. */
  const linkImage = async (page: Page, image: { consultation: number; id: number }, role: string) => {
    await page.goto(`/admin/collections/consultations/${image.consultation}`)
    await page.getByRole('button', { exact: true, name: 'Images' }).click()
    const tile = page.locator(`.derma-image-tile[data-image-id="${image.id}"]`)
    await tile.getByRole('button', { name: 'Edit details' }).click()
    const lesionInput = page.locator(`#field-derma-edit-${image.id}-lesion input`)
    await lesionInput.fill('Mole left')
    await page.locator('.rs__option', { hasText: 'Mole left shoulder #2' }).click()
    const roleInput = page.locator(`#field-derma-edit-${image.id}-role input`)
    await roleInput.fill(role)
    await roleInput.press('Enter')
    await page.locator('.derma-edit-image').getByRole('button', { exact: true, name: 'Save' }).click()
    await page.getByText('Image details saved.').waitFor()
  }

  it('should link two images from two consultations, show them in capture order and compare them', async () => {
    const page = await pageOfDoctor()
    await linkImage(page, images.later, 'Follow-up')
    await linkImage(page, images.earlier, 'Baseline')
    const stored = await app.payload.find({
      collection: 'consultation-images',
      // Checking the stored state behind the UI.
      overrideAccess: true,
      where: { lesion: { equals: lesion } },
    })
    expect(stored.docs.map((doc) => [doc.id, doc.role]).sort()).toEqual(
      [
        [images.earlier.id, 'baseline'],
        [images.later.id, 'follow-up'],
      ].sort(),
    )

    await page.goto(`/admin/collections/lesions/${lesion}`)
    const entries = page.locator('.derma-lesion-timeline__entry')
    await page.waitForFunction(() => {
      const thumbnails = [...document.querySelectorAll<HTMLImageElement>('.derma-lesion-timeline__entry img')]
      return thumbnails.length === 2 && thumbnails.every((image) => image.complete && image.naturalWidth > 0)
    })
    await expect(entries.locator('.derma-lesion-timeline__role').allTextContents()).resolves.toEqual(['Baseline', 'Follow-up'])
    await expect(entries.locator('.derma-lesion-timeline__date').allTextContents()).resolves.toEqual(['Jan 12, 2026', 'Jun 2, 2026'])
    await expect(entries.locator('.derma-lesion-timeline__consultation').first().getAttribute('href')).resolves.toBe(
      `/admin/collections/consultations/${images.earlier.consultation}`,
    )
    // Thumbnails only: never the original or the preview.
    const sources = await entries.locator('img').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('src')))
    const thumbnail = (id: number) => stored.docs.find((doc) => doc.id === id)?.sizes?.thumbnail?.url
    expect(sources).toEqual([thumbnail(images.earlier.id), thumbnail(images.later.id)])

    await entries.nth(0).getByText('Compare', { exact: true }).click()
    await entries.nth(1).getByText('Compare', { exact: true }).click()
    await page.getByRole('button', { name: 'Compare the 2 selected' }).click()
    await page.locator('.derma-compare [data-rcs="root"]').waitFor()
    await page.waitForFunction(() => {
      const shown = [...document.querySelectorAll<HTMLImageElement>('.derma-compare__slider img')]
      return shown.length === 2 && shown.every((image) => image.complete && image.naturalWidth > 0)
    })
    await expect(page.locator('.derma-compare__captions strong').allTextContents()).resolves.toEqual(['Jan 12, 2026', 'Jun 2, 2026'])
  })

  describe('a timeline longer than a page', () => {
    /** More than one page (24): 30 images across two consultations, uploaded out of capture order. */
    const imageCount = 30
    let longLesion: number
    /** The image IDs in capture order, as stored. */
    let expectedOrder: number[]

    beforeAll(async () => {
      // Test set-up, not a user's action: a lesion, two visits and 30 small photos linked to it.
      const users = await app.payload.find({
        collection: 'users',
        overrideAccess: true,
        where: { email: { in: [doctor?.email, patientEmail] } },
      })
      const idOf = (email: string | undefined) => users.docs.find((user) => user.email === email)?.id
      const created = await app.payload.create({
        collection: 'lesions',
        data: { bodySite: 'thigh', label: 'Naevus right thigh', laterality: 'right', patient: idOf(patientEmail) } as never,
        overrideAccess: true,
      })
      longLesion = created.id
      const visits = await Promise.all(
        ['2025-03-01T09:00:00.000Z', '2025-09-01T09:00:00.000Z'].map(async (date) =>
          (
            await app.payload.create({
              collection: 'consultations',
              data: { date, doctor: idOf(doctor?.email), patient: idOf(patientEmail), reason: `Thigh check ${date}` } as never,
              overrideAccess: true,
            })
          ).id,
        ),
      )
      for (let index = 0; index < imageCount; index++) {
        // Captured on day 29 - index: the later an upload, the earlier its capture.
        const captured = new Date(Date.UTC(2025, 2, 1 + (imageCount - 1 - index), 10))
        const bytes = await generateDemoImage(index, {
          exif: { date: captured, make: 'Apple', model: 'iPhone 15 Pro' },
          height: 180,
          width: 240,
        })
        await app.payload.create({
          collection: 'consultation-images',
          data: { consultation: visits[index % 2], lesion: longLesion, role: index === imageCount - 1 ? 'baseline' : 'follow-up' } as never,
          file: asUploadFile(bytes),
          overrideAccess: true,
        })
      }
      const stored = await app.payload.find({
        collection: 'consultation-images',
        depth: 0,
        // Checking the stored state behind the UI.
        overrideAccess: true,
        pagination: false,
        sort: 'capturedAt',
        where: { lesion: { equals: longLesion } },
      })
      expectedOrder = stored.docs.map((doc) => doc.id)
    }, 600_000)

    const shownIDs = (page: Page) =>
      page.locator('.derma-lesion-timeline__entry').evaluateAll((nodes) => nodes.map((node) => Number(node.getAttribute('data-image-id'))))

    it('should show the first page, then the next one in capture order across consultations', async () => {
      const page = await pageOfDoctor()
      await page.goto(`/admin/collections/lesions/${longLesion}`)
      await page.locator('.derma-lesion-timeline h3', { hasText: '30 images' }).waitFor()
      expect(expectedOrder).toHaveLength(imageCount)
      await expect(shownIDs(page)).resolves.toEqual(expectedOrder.slice(0, 24))
      await page.getByRole('button', { name: 'Show more (6 remaining)' }).click()
      await page.waitForFunction(() => document.querySelectorAll('.derma-lesion-timeline__entry').length === 30)
      await expect(shownIDs(page)).resolves.toEqual(expectedOrder)
      await expect(page.getByRole('button', { name: /Show more/ }).count()).resolves.toBe(0)
      const dates = await page.locator('.derma-lesion-timeline__date').allTextContents()
      expect([dates[0], dates[23], dates[24], dates[29]]).toEqual(['Mar 1, 2025', 'Mar 24, 2025', 'Mar 25, 2025', 'Mar 30, 2025'])
    })

    it('should compare an image of the first page with one of the second, under an English slider handle', async () => {
      const page = await pageOfDoctor()
      await page.goto(`/admin/collections/lesions/${longLesion}`)
      const entries = page.locator('.derma-lesion-timeline__entry')
      await entries.first().getByText('Compare', { exact: true }).click()
      await page.getByRole('button', { name: 'Show more (6 remaining)' }).click()
      await entries.nth(29).getByText('Compare', { exact: true }).click()
      await page.getByRole('button', { name: 'Compare the 2 selected' }).click()
      await page.waitForFunction(() => {
        const shown = [...document.querySelectorAll<HTMLImageElement>('.derma-compare__slider img')]
        return shown.length === 2 && shown.every((image) => image.complete && image.naturalWidth > 0)
      })
      await expect(page.locator('.derma-compare__captions strong').allTextContents()).resolves.toEqual(['Mar 1, 2025', 'Mar 30, 2025'])
      await expect(page.locator('.derma-compare [role="slider"]').getAttribute('aria-label')).resolves.toBe(
        'Drag, or focus and use the arrow keys, to move the divider between the two images',
      )
      // The handle still moves from the keyboard.
      await page.locator('.derma-compare [role="slider"]').focus()
      await page.keyboard.press('ArrowRight')
      await expect(page.locator('.derma-compare [role="slider"]').getAttribute('aria-valuenow')).resolves.toBe('55')
    })

    it('should label the slider handle in French for a French admin', async () => {
      const page = await pageOfDoctor('fr-FR')
      await page.goto(`/admin/collections/lesions/${longLesion}`)
      const entries = page.locator('.derma-lesion-timeline__entry')
      await entries.nth(0).getByText('Comparer', { exact: true }).click()
      await entries.nth(1).getByText('Comparer', { exact: true }).click()
      await page.getByRole('button', { name: 'Comparer les 2 sélectionnées' }).click()
      const handle = page.locator('.derma-compare [role="slider"]')
      await handle.waitFor()
      await expect(handle.getAttribute('aria-label')).resolves.toBe(
        'Faites glisser, ou placez le focus et utilisez les flèches, pour déplacer la séparation entre les deux images',
      )
    })
  })
})
