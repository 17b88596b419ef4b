import type { Page } from 'playwright-core'

import { beforeAll, describe, expect, it } from '@jest/globals'

import type { E2EApp } from './helpers/app.js'

import { demoLogins, generateDemoImage } from '../../scripts/seed.js'
import { asUploadFile } from '../helpers/images.js'
import { useBrowserSuite } from './helpers/suite.js'

type Pool = { query: (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> }

const login = (email: string) => {
  const found = demoLogins().find((entry) => entry.email === email)
  if (!found) {
    throw new Error(`no demo login ${email}`)
  }
  return found
}
const doctor = login('dr.martin@clinic.test')
const patient = login('patient.durand@clinic.test')

describe('consent in the admin gallery, in Chromium', () => {
  const suite = useBrowserSuite('e2e_consent')
  let app: E2EApp
  let pool: Pool
  let consultation: number
  let image: number
  let doctorId: number

  beforeAll(async () => {
    app = suite.app()
    pool = (app.payload.db as unknown as { pool: Pool }).pool
    // Test set-up, not a user's action: the seeded accounts, a visit and one photo stored by the system.
    const users = await app.payload.find({ collection: 'users', overrideAccess: true, where: { email: { in: [doctor.email, patient.email] } } })
    const idOf = (email: string) => users.docs.find((user) => user.email === email)?.id
    doctorId = Number(idOf(doctor.email))
    const created = await app.payload.create({
      collection: 'consultations',
      data: { doctor: doctorId, patient: idOf(patient.email), reason: 'Browser test: consent' } as never,
      overrideAccess: true,
    })
    consultation = created.id
    const stored = await app.payload.create({
      collection: 'consultation-images',
      data: { consultation } as never,
      file: asUploadFile(await generateDemoImage(3)),
      overrideAccess: true,
    })
    image = stored.id
  }, 600_000)

  /** The image's consent as PostgreSQL holds it. */
  const storedConsent = async (id: number) => {
    const scopes = await pool.query('SELECT value FROM consultation_images_consent_scopes WHERE parent_id = $1 ORDER BY "order"', [id])
    const row = await pool.query('SELECT consent_recorded_by_id AS "recordedBy", consent_recorded_at AS "recordedAt" FROM consultation_images WHERE id = $1', [id])
    return { recordedAt: row.rows[0]?.recordedAt as Date | null, recordedBy: row.rows[0]?.recordedBy as null | number, scopes: scopes.rows.map((entry) => entry.value) }
  }

  const openImagesTab = async (page: Page): Promise<void> => {
    await page.goto(`/admin/collections/consultations/${consultation}`)
    await page.getByRole('button', { exact: true, name: 'Images' }).click()
    await page.locator('.derma-gallery').waitFor()
  }

  it('should let the doctor tick "Teaching" in the edit drawer and record it as theirs', async () => {
    const page = await suite.pageOf(doctor)
    await openImagesTab(page)
    const tile = page.locator(`.derma-image-tile[data-image-id="${image}"]`)
    await tile.getByRole('button', { name: 'Edit details' }).click()
    const drawer = page.locator('.derma-edit-image')
    await drawer.getByText('Recorded by the system on', { exact: false }).waitFor()
    await expect(drawer.locator(`#derma-edit-${image}-consent-care`).isChecked()).resolves.toBe(true)
    await drawer.getByText('Teaching', { exact: true }).click()
    await expect(drawer.locator(`#derma-edit-${image}-consent-teaching`).isChecked()).resolves.toBe(true)
    const saved = Date.now()
    await drawer.getByRole('button', { exact: true, name: 'Save' }).click()
    await page.getByText('Image details saved.').waitFor()
    await tile.locator('.derma-consent__badge', { hasText: 'Teaching' }).waitFor()
    const stored = await storedConsent(image)
    expect({ ...stored, recordedAt: (stored.recordedAt?.getTime() ?? 0) >= saved - 1000 }).toEqual({ recordedAt: true, recordedBy: doctorId, scopes: ['care', 'teaching'] })
    await tile.getByRole('button', { name: 'Edit details' }).click()
    await drawer.getByText('Recorded by you on', { exact: false }).waitFor()
  })

  it('should store "Second opinion" ticked in the uploader’s form', async () => {
    const page = await suite.pageOf(doctor)
    await openImagesTab(page)
    await page.getByRole('button', { name: 'Add images' }).click()
    const dataTransfer = await page.evaluateHandle((base64) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))], 'second-opinion.jpg', { type: 'image/jpeg' }))
      return transfer
    }, (await generateDemoImage(4)).toString('base64'))
    await page.dispatchEvent('.derma-uploader__dropzone', 'dragenter', { dataTransfer })
    await page.dispatchEvent('.derma-uploader__dropzone', 'drop', { dataTransfer })
    const item = page.locator('.derma-upload-item').first()
    await item.getByText('Second opinion', { exact: true }).click()
    const uploaded = page.waitForResponse((response) => response.url().endsWith(`/api/consultations/${consultation}/images`) && response.request().method() === 'POST')
    await page.getByRole('button', { name: 'Upload 1' }).click()
    const { doc } = (await (await uploaded).json()) as { doc: { id: number } }
    await page.getByText('1 image uploaded.').waitFor()
    await page.locator(`.derma-image-tile[data-image-id="${doc.id}"] .derma-consent__badge`, { hasText: 'Second opinion' }).waitFor()
    const stored = await storedConsent(doc.id)
    expect({ recordedBy: stored.recordedBy, scopes: stored.scopes }).toEqual({ recordedBy: doctorId, scopes: ['care', 'second-opinion'] })
  })

  it('should show the patient the consent read-only, on the tile and in the lightbox', async () => {
    const page = await suite.pageOf(patient)
    await openImagesTab(page)
    const tile = page.locator(`.derma-image-tile[data-image-id="${image}"]`)
    await tile.locator('.derma-consent__badge', { hasText: 'Teaching' }).waitFor()
    await expect(page.locator('.derma-consent input[type="checkbox"]').count()).resolves.toBe(0)
    await tile.locator('.derma-image-tile__open').click()
    await page.locator('.yarl__slide_current').getByText('Consent: Care, Teaching', { exact: false }).waitFor()
  })
})
