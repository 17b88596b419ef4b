import type { Page } from 'playwright-core'

import { beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import yauzl from 'yauzl'

import type { E2EApp } from './helpers/app.js'

import { demoLogins, generateDemoImage } from '../../scripts/seed.js'
import { useBrowserSuite } from './helpers/suite.js'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures')
const login = (email: string) => {
  const found = demoLogins().find((entry) => entry.email === email)
  if (!found) {
    throw new Error(`no demo login ${email}`)
  }
  return found
}
const doctor = login('dr.martin@clinic.test')
const otherDoctor = login('dr.bernard@clinic.test')
const patient = login('patient.durand@clinic.test')

type DroppedFile = { buffer: Buffer; mimeType: string; name: string }

/** Drops files on the uploader's zone the way a browser does: a real DataTransfer of File objects. */
const dropFiles = async (page: Page, selector: string, files: DroppedFile[]): Promise<void> => {
  const dataTransfer = await page.evaluateHandle(
    (encoded) => {
      const transfer = new DataTransfer()
      for (const file of encoded) {
        const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0))
        transfer.items.add(new File([bytes], file.name, { type: file.mimeType }))
      }
      return transfer
    },
    files.map((file) => ({ base64: file.buffer.toString('base64'), mimeType: file.mimeType, name: file.name })),
  )
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer })
  await page.dispatchEvent(selector, 'drop', { dataTransfer })
}

const zipEntryNames = (file: string): Promise<string[]> =>
  new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (openError, zip) => {
      if (openError) {
        reject(openError)
        return
      }
      const names: string[] = []
      zip.on('error', reject)
      zip.on('end', () => { resolve(names); })
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName)
        zip.readEntry()
      })
      zip.readEntry()
    })
  })

const tiles = (page: Page) => page.locator('.derma-image-tile')

/** Every thumbnail shown has loaded (decoded, non-zero size). */
const waitForThumbnails = (page: Page, count: number) =>
  page.waitForFunction((expected) => {
    const images = [...document.querySelectorAll<HTMLImageElement>('.derma-image-tile img')]
    return images.length === expected && images.every((image) => image.complete && image.naturalWidth > 0)
  }, count)

const openImagesTab = async (page: Page, consultation: number): Promise<void> => {
  await page.goto(`/admin/collections/consultations/${consultation}`)
  await page.getByRole('button', { exact: true, name: 'Images' }).click()
  await page.locator('.derma-gallery').waitFor()
}

describe('admin gallery in Chromium', () => {
  const suite = useBrowserSuite('e2e_gallery')
  const { pageOf } = suite
  let app: E2EApp
  let consultation: number
  /** A second consultation of the same doctor and patient, for the refusal and cancel tests. */
  let spare: number

  beforeAll(async () => {
    app = suite.app()
    const users = await app.payload.find({
      collection: 'users',
      // Test set-up: look up the seeded demo accounts.
      overrideAccess: true,
      where: { email: { in: [doctor.email, patient.email] } },
    })
    const idOf = (email: string) => users.docs.find((user) => user.email === email)?.id
    const create = async (reason: string): Promise<number> => {
      const created = await app.payload.create({
        collection: 'consultations',
        data: { doctor: idOf(doctor.email), patient: idOf(patient.email), reason } as never,
        // Test set-up, not a user's action.
        overrideAccess: true,
      })
      return created.id
    }
    consultation = await create('Browser test: pigmented lesions')
    spare = await create('Browser test: refusals and cancels')
  }, 600_000)

  it('should let the doctor upload three photos (one HEIC) through the dropzone with per-file progress', async () => {
    const page = await pageOf(doctor)
    await openImagesTab(page, consultation)
    await page.getByText('No photos have been taken for this consultation yet.').waitFor()
    await page.getByRole('button', { name: 'Add images' }).click()

    const jpeg = await generateDemoImage(1)
    const png = await sharp(await generateDemoImage(2)).png().toBuffer()
    await dropFiles(page, '.derma-uploader__dropzone', [
      { buffer: jpeg, mimeType: 'image/jpeg', name: 'forearm.jpg' },
      { buffer: png, mimeType: 'image/png', name: 'back.png' },
      { buffer: await fs.readFile(path.join(fixtures, '12mp.heic')), mimeType: '', name: 'IMG_0042.HEIC' },
    ])
    await expect(page.locator('.derma-upload-item').count()).resolves.toBe(3)
    await page.getByText('HEIC: preview after upload').waitFor()

    // A slow uplink, so that the progress events can be seen between 0 and 100 %.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      downloadThroughput: -1,
      latency: 0,
      offline: false,
      uploadThroughput: 512 * 1024,
    })
    await page.getByRole('button', { name: 'Upload 3' }).click()
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.derma-upload-item [role="progressbar"]')].some((bar) => {
        const value = Number(bar.getAttribute('aria-valuenow'))
        return value > 0 && value < 100
      }),
    )
    await cdp.send('Network.emulateNetworkConditions', { downloadThroughput: -1, latency: 0, offline: false, uploadThroughput: -1 })
    await page.waitForFunction(
      () => document.querySelectorAll('.derma-upload-item[data-status="done"]').length === 3,
      undefined,
      { timeout: 60_000 },
    )
    await page.getByText('3 images uploaded.').waitFor()
    await waitForThumbnails(page, 3)
    await expect(page.locator('.derma-gallery__count').textContent()).resolves.toBe('3 images')
  })

  it('should open the lightbox, move with the keyboard, zoom and close with Escape', async () => {
    const page = await pageOf(doctor)
    await openImagesTab(page, consultation)
    await waitForThumbnails(page, 3)
    await tiles(page).first().locator('.derma-image-tile__open').click()
    const counter = page.locator('.yarl__counter')
    await expect(counter.textContent()).resolves.toBe('1 / 3')
    await page.keyboard.press('ArrowRight')
    await page.waitForFunction(() => document.querySelector('.yarl__counter')?.textContent === '2 / 3')
    await page.keyboard.press('ArrowLeft')
    await page.waitForFunction(() => document.querySelector('.yarl__counter')?.textContent === '1 / 3')
    // The lightbox shows the preview derivative, never the original.
    const listed = (await (await page.request.get(`/api/consultations/${consultation}/images`)).json()) as {
      docs: { sizes: { preview: { url: string } }; url: string }[]
    }
    const shown = await page.locator('.yarl__slide_current img').getAttribute('src')
    expect(shown).toBe(listed.docs[0]?.sizes.preview.url)
    expect(shown).not.toBe(listed.docs[0]?.url)
    await expect(page.locator('.yarl__slide_current').getByText('Clinical: overview', { exact: false }).count()).resolves.toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Zoom in' }).click()
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('button[aria-label="Zoom out"]')?.disabled)
    await page.keyboard.press('Escape')
    await page.locator('.yarl__root').waitFor({ state: 'detached' })
  })

  it('should make another image the primary one', async () => {
    const page = await pageOf(doctor)
    await openImagesTab(page, consultation)
    await waitForThumbnails(page, 3)
    const target = tiles(page).nth(2)
    const id = Number(await target.getAttribute('data-image-id'))
    await target.getByRole('button', { name: 'Set as primary' }).click()
    await page.getByText('Primary image changed.').waitFor()
    await page.locator(`.derma-image-tile[data-image-id="${id}"] .derma-image-tile__primary`).waitFor()
    await expect(page.locator('.derma-image-tile__primary').count()).resolves.toBe(1)
    const primaries = await app.payload.find({
      collection: 'consultation-images',
      // Checking the stored state behind the UI.
      overrideAccess: true,
      where: { and: [{ consultation: { equals: consultation } }, { isPrimary: { equals: true } }] },
    })
    expect(primaries.docs.map((doc) => doc.id)).toEqual([id])
  })

  it('should edit an image body site in the drawer', async () => {
    const page = await pageOf(doctor)
    await openImagesTab(page, consultation)
    const target = tiles(page).first()
    const id = Number(await target.getAttribute('data-image-id'))
    await target.getByRole('button', { name: 'Edit details' }).click()
    const input = page.locator(`#field-derma-edit-${id}-bodySite input`)
    await input.fill('Scalp')
    await input.press('Enter')
    await page.locator('.derma-edit-image').getByRole('button', { exact: true, name: 'Save' }).click()
    await page.getByText('Image details saved.').waitFor()
    await page.locator(`.derma-image-tile[data-image-id="${id}"] .derma-image-tile__site`, { hasText: 'Scalp' }).waitFor()
    const stored = await app.payload.findByID({ collection: 'consultation-images', id, overrideAccess: true })
    expect(stored.bodySite).toBe('scalp')
  })

  it('should compare two images with the slider and side by side', async () => {
    const page = await pageOf(doctor)
    await openImagesTab(page, consultation)
    await waitForThumbnails(page, 3)
    await tiles(page).nth(0).getByText('Compare', { exact: true }).click()
    await tiles(page).nth(1).getByText('Compare', { exact: true }).click()
    await page.getByRole('button', { name: 'Compare the 2 selected' }).click()
    const drawer = page.locator('.derma-compare')
    await drawer.locator('[data-rcs="root"]').waitFor()
    await page.waitForFunction(() => {
      const images = [...document.querySelectorAll<HTMLImageElement>('.derma-compare__slider img')]
      return images.length === 2 && images.every((image) => image.complete && image.naturalWidth > 0)
    })
    await drawer.getByRole('button', { name: 'Side by side' }).click()
    await page.waitForFunction(() => {
      const images = [...document.querySelectorAll<HTMLImageElement>('.derma-compare__side img')]
      return images.length === 2 && images.every((image) => image.complete && image.naturalWidth > 0)
    })
  })

  it('should download every original as a ZIP with its manifests', async () => {
    const page = await pageOf(doctor)
    await openImagesTab(page, consultation)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download all (ZIP)' }).click(),
    ])
    const file = await download.path()
    const names = await zipEntryNames(file)
    expect(names.filter((name) => name.startsWith('manifest.')).sort()).toEqual(['manifest.csv', 'manifest.json'])
    expect(names.filter((name) => !name.startsWith('manifest.'))).toHaveLength(3)
  })

  it('should delete an image only after the confirmation', async () => {
    const page = await pageOf(doctor)
    await openImagesTab(page, consultation)
    await waitForThumbnails(page, 3)
    const target = tiles(page).last()
    const id = Number(await target.getAttribute('data-image-id'))
    await target.getByRole('button', { name: 'Delete' }).click()
    const modal = page.locator('.confirmation-modal')
    await modal.getByText('Delete this image?').waitFor()
    await modal.getByRole('button', { name: 'Delete' }).click()
    await page.getByText('Image deleted.').waitFor()
    await waitForThumbnails(page, 2)
    const remaining = await app.payload.find({
      collection: 'consultation-images',
      // Checking the stored state behind the UI.
      overrideAccess: true,
      where: { consultation: { equals: consultation } },
    })
    expect(remaining.docs.map((doc) => doc.id)).not.toContain(id)
    expect(remaining.totalDocs).toBe(2)
  })

  it('should show the patient a read-only gallery of their consultation', async () => {
    const page = await pageOf(patient)
    await openImagesTab(page, consultation)
    await waitForThumbnails(page, 2)
    await expect(page.getByRole('button', { name: 'Add images' }).count()).resolves.toBe(0)
    await expect(page.getByRole('button', { name: 'Edit details' }).count()).resolves.toBe(0)
    await expect(page.getByRole('button', { name: 'Set as primary' }).count()).resolves.toBe(0)
    await expect(page.locator('.derma-image-tile__delete').count()).resolves.toBe(0)
    await expect(page.getByRole('link', { name: 'Download original' }).count()).resolves.toBe(2)
  })

  it("should speak French to a French browser, clinical labels included", async () => {
    const page = await pageOf(patient, 'fr-FR')
    await page.goto(`/admin/collections/consultations/${consultation}`)
    await page.getByRole('button', { exact: true, name: 'Images' }).click()
    await waitForThumbnails(page, 2)
    await expect(page.getByRole('link', { name: "Télécharger l'original" }).count()).resolves.toBe(2)
    await page.getByRole('button', { name: 'Comparer les 2 sélectionnées' }).waitFor()
    await page.locator('.derma-image-tile__site', { hasText: 'Cuir chevelu' }).waitFor()
  })

  it('should switch the images list to a thumbnail grid and remember the choice', async () => {
    const page = await pageOf(doctor)
    await page.goto('/admin/collections/consultation-images')
    await page.locator('.collection-list__tables').waitFor()
    await page.locator('.derma-list-grid').getByRole('button', { name: 'Grid' }).click()
    const visibleRows = await page.request.get('/api/consultation-images?limit=10&depth=0')
    const { docs } = (await visibleRows.json()) as { docs: unknown[] }
    const countLoaded = (expected: number) =>
      page.waitForFunction((count) => {
        const images = [...document.querySelectorAll<HTMLImageElement>('.derma-list-grid__grid img')]
        return images.length === count && images.every((image) => image.complete && image.naturalWidth > 0)
      }, expected)
    await countLoaded(docs.length)
    await expect(page.locator('.collection-list__tables').isVisible()).resolves.toBe(false)
    await page.reload()
    await countLoaded(docs.length)
  })

  it('should not let another doctor reach the consultation', async () => {
    const page = await pageOf(otherDoctor)
    // Payload answers a document the user may not read like one that does not exist: back to the list.
    await page.goto(`/admin/collections/consultations/${consultation}`)
    await page.waitForURL((url) => url.searchParams.get('notFound') === String(consultation))
    await expect(page.locator('.derma-gallery').count()).resolves.toBe(0)
    await expect(page.locator(`a[href$="/consultations/${consultation}"]`).count()).resolves.toBe(0)
    const api = await page.request.get(`/api/consultations/${consultation}/images`)
    expect(api.status()).toBe(404)
  })

  it('should refuse a wrong type and an oversize file in the browser, before sending anything', async () => {
    const page = await pageOf(doctor)
    await openImagesTab(page, spare)
    await page.getByRole('button', { name: 'Add images' }).click()
    const posts: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST') {
        posts.push(request.url())
      }
    })
    await dropFiles(page, '.derma-uploader__dropzone', [
      { buffer: await fs.readFile(path.join(fixtures, 'document.pdf')), mimeType: 'application/pdf', name: 'referral.pdf' },
      { buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0xff), mimeType: 'image/jpeg', name: 'huge.jpg' },
    ])
    await page.getByText('referral.pdf is not an accepted image type (JPEG, PNG, WebP, HEIC).').waitFor()
    await page.getByText(/^huge\.jpg is 10 MB: the limit is 10 MB\.$/).waitFor()
    await expect(page.locator('.derma-upload-item').count()).resolves.toBe(0)
    expect(posts).toEqual([])
  })

  it("should show the server's message when it refuses a file and store nothing", async () => {
    const page = await pageOf(doctor)
    suite.allowConsoleError(/status of 415 \(Unsupported Media Type\)/)
    await openImagesTab(page, spare)
    await page.getByRole('button', { name: 'Add images' }).click()
    await dropFiles(page, '.derma-uploader__dropzone', [
      { buffer: await fs.readFile(path.join(fixtures, 'text-named.jpg')), mimeType: 'image/jpeg', name: 'notes.jpg' },
    ])
    await page.getByRole('button', { name: 'Upload 1' }).click()
    await page.locator('.derma-upload-item[data-status="failed"]').waitFor()
    await expect(page.locator('.derma-upload-item__status').textContent()).resolves.toBe(
      'Failed: This file is a text file; accepted: JPEG, PNG, WebP, HEIC.',
    )
    await page.getByText('notes.jpg: This file is a text file; accepted: JPEG, PNG, WebP, HEIC.').waitFor()
    const stored = await app.payload.count({ collection: 'consultation-images', overrideAccess: true, where: { consultation: { equals: spare } } })
    expect(stored.totalDocs).toBe(0)
  })

  it('should cancel an upload half-way, leave nothing stored, and retry it', async () => {
    const page = await pageOf(doctor)
    await openImagesTab(page, spare)
    await page.getByRole('button', { name: 'Add images' }).click()
    await dropFiles(page, '.derma-uploader__dropzone', [
      { buffer: await generateDemoImage(4), mimeType: 'image/jpeg', name: 'cheek.jpg' },
    ])
    const filesBefore = await fs.readdir(app.uploadsDir)
    const keys: (string | undefined)[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith(`/consultations/${spare}/images`)) {
        keys.push(request.headers()['idempotency-key'])
      }
    })
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { downloadThroughput: -1, latency: 0, offline: false, uploadThroughput: 16 * 1024 })
    await page.getByRole('button', { name: 'Upload 1' }).click()
    await page.waitForFunction(() => Number(document.querySelector('.derma-upload-item [role="progressbar"]')?.getAttribute('aria-valuenow')) > 0)
    await page.locator('.derma-upload-item').getByRole('button', { name: 'Cancel' }).click()
    await page.locator('.derma-upload-item[data-status="cancelled"]').waitFor()
    const afterCancel = await app.payload.count({ collection: 'consultation-images', overrideAccess: true, where: { consultation: { equals: spare } } })
    expect(afterCancel.totalDocs).toBe(0)
    await expect(fs.readdir(app.uploadsDir)).resolves.toEqual(filesBefore)
    await cdp.send('Network.emulateNetworkConditions', { downloadThroughput: -1, latency: 0, offline: false, uploadThroughput: -1 })
    await page.locator('.derma-upload-item').getByRole('button', { name: 'Retry' }).click()
    await page.locator('.derma-upload-item[data-status="done"]').waitFor({ timeout: 60_000 })
    await waitForThumbnails(page, 1)
    // Both attempts carried the same Idempotency-Key: a retry can never store the photo twice.
    expect(keys).toHaveLength(2)
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/)
    expect(keys[1]).toBe(keys[0])
  })
})
