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

  const pageOfDoctor = (): Promise<Page> => suite.pageOf({ email: doctor?.email ?? '', password: doctor?.password ?? '' })

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
})
