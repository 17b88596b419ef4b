import type { Page } from 'playwright-core'

import { beforeAll, describe, expect, it } from '@jest/globals'

import type { E2EApp } from './helpers/app.js'

import { demoLogins } from '../../scripts/seed.js'
import { asUploadFile, makeJpeg } from '../helpers/images.js'
import { useBrowserSuite } from './helpers/suite.js'

const login = (email: string) => {
  const found = demoLogins().find((entry) => entry.email === email)
  return { email, password: found?.password ?? '' }
}
const doctor = login('dr.martin@clinic.test')
const patientEmail = 'patient.durand@clinic.test'

/** The sidebar counter's text once it reads `expected` (it is never reloaded by the test). */
const waitForCount = (page: Page, expected: string) =>
  page.waitForFunction((text) => document.querySelector('.derma-images-summary__count')?.textContent === text, expected)

describe('consultation sidebar counter in Chromium', () => {
  const suite = useBrowserSuite('e2e_sidebar')
  let app: E2EApp
  let consultation: number

  beforeAll(async () => {
    app = suite.app()
    // Test set-up, not a user's action: one consultation with one dermoscopic photo.
    const users = await app.payload.find({
      collection: 'users',
      overrideAccess: true,
      where: { email: { in: [doctor.email, patientEmail] } },
    })
    const idOf = (email: string) => users.docs.find((user) => user.email === email)?.id
    const created = await app.payload.create({
      collection: 'consultations',
      data: { doctor: idOf(doctor.email), patient: idOf(patientEmail), reason: 'Browser test: sidebar counter' } as never,
      overrideAccess: true,
    })
    consultation = created.id
    await app.payload.create({
      collection: 'consultation-images',
      data: { acquisition: 'dermoscopic', consultation } as never,
      file: asUploadFile(await makeJpeg({ height: 240, seed: 3, width: 320 })),
      overrideAccess: true,
    })
  }, 600_000)

  it('should count an upload and a delete in the sidebar without a reload', async () => {
    const page = await suite.pageOf(doctor)
    await page.goto(`/admin/collections/consultations/${consultation}`)
    await waitForCount(page, '1 image')
    await expect(page.locator('.derma-images-summary__kinds').textContent()).resolves.toBe('Dermoscopic: 1')
    // A reload would show the new count anyway: fail if the document is replaced. A marker on the
    // window survives same-document updates (Payload's router may replace the URL once after load)
    // and is gone after any reload or navigation.
    await page.evaluate(() => {
      ;(window as { dermaSidebarMarker?: boolean }).dermaSidebarMarker = true
    })
    await page.getByRole('button', { exact: true, name: 'Images' }).click()
    await page.getByRole('button', { name: 'Add images' }).click()
    await page.locator('.derma-uploader input[type="file"]').setInputFiles([
      { buffer: await makeJpeg({ height: 240, seed: 9, width: 320 }), mimeType: 'image/jpeg', name: 'forearm.jpg' },
    ])
    await page.getByRole('button', { name: 'Upload 1' }).click()
    await page.getByText('1 image uploaded.').waitFor()
    await waitForCount(page, '2 images')

    const tile = page.locator('.derma-image-tile').last()
    await tile.getByRole('button', { name: 'Delete' }).click()
    const modal = page.locator('.confirmation-modal')
    await modal.getByText('Delete this image?').waitFor()
    await modal.getByRole('button', { name: 'Delete' }).click()
    await page.getByText('Image deleted.').waitFor()
    await waitForCount(page, '1 image')
    await expect(page.evaluate(() => (window as { dermaSidebarMarker?: boolean }).dermaSidebarMarker)).resolves.toBe(true)
    const stored = await app.payload.count({
      collection: 'consultation-images',
      // Checking the stored state behind the UI.
      overrideAccess: true,
      where: { consultation: { equals: consultation } },
    })
    expect(stored.totalDocs).toBe(1)
  })
})
