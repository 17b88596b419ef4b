import { jest } from '@jest/globals'
import { REST_GET } from '@payloadcms/next/routes'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createLocalReq } from 'payload'
import sharp from 'sharp'

import type { Actor, Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { manifestColumns, zipConsultationImages } from '../../src/operations/zipConsultationImages.js'
import { sanitizePluginConfig } from '../../src/sanitizePluginConfig.js'
import { createFileStore } from '../../src/storage/fileStore.js'
import { createClinic, uploadAs } from '../helpers/clinic.js'
import { asUploadFile } from '../helpers/images.js'
import { startPayload } from '../helpers/payload.js'
import { createRestClient } from '../helpers/rest.js'
import { readZipEntries } from '../helpers/zip.js'

type Entry = { bytes: Buffer; method: number; name: string }
type StoredImage = { filename: string; filesize: number; id: number }
type Manifest = { consultation: number; imageCount: number; images: Record<string, unknown>[]; version: number }
type Pool = { idleCount: number; totalCount: number; waitingCount: number }

let ctx: TestContext
let clinic: Clinic
let api: RestClient
const consultations = { abort: 0, broken: 0, disconnect: 0, empty: 0, truncated: 0 }
let ownImages: StoredImage[] = []
let brokenImages: StoredImage[] = []

const description = 'Irregular border, "asymmetric"\nre-check in 3 months'

const createConsultation = async (): Promise<number> =>
  // Test fixture set-up, not a user's action.
  (
    await ctx.payload.create({
      collection: 'consultations',
      data: { doctor: clinic.doctor.id, patient: clinic.patient.id, reason: 'Follow-up' } as never,
      overrideAccess: true,
    })
  ).id

const addImages = async (consultation: number, count: number, firstSeed: number): Promise<StoredImage[]> => {
  const images: StoredImage[] = []
  for (let index = 0; index < count; index += 1) {
    images.push((await uploadAs(ctx.payload, clinic.doctor, consultation, {}, firstSeed + index)) as unknown as StoredImage)
  }
  return images
}

/** Noise barely compresses: a file of about a megabyte, far more than the streams buffer. */
const addLargeImages = async (consultation: number, count: number): Promise<void> => {
  for (let index = 0; index < count; index += 1) {
    const noise = await sharp(randomBytes(800 * 800 * 3), { raw: { channels: 3, height: 800, width: 800 } }).jpeg({ quality: 95 }).toBuffer()
    await ctx.payload.create({
      collection: 'consultation-images',
      data: { consultation } as never,
      file: asUploadFile(noise),
      overrideAccess: false,
      user: clinic.doctor.user,
    })
  }
}

beforeAll(async () => {
  ctx = await startPayload('zip')
  clinic = await createClinic(ctx.payload)
  api = createRestClient(ctx.payload.config)
  const own = clinic.consultations.own
  const dermoscopic = { acquisition: 'dermoscopic', bodySite: 'upper-back', description, laterality: 'left' }
  await uploadAs(ctx.payload, clinic.doctor, own, dermoscopic, 11)
  await uploadAs(ctx.payload, clinic.doctor, own, { acquisition: 'clinical-close-up', description: '=HYPERLINK("x")' }, 12)
  const { docs } = await ctx.payload.find({ collection: 'consultation-images', limit: 0, sort: 'id', where: { consultation: { equals: own } } })
  ownImages = docs as unknown as StoredImage[]
  consultations.empty = await createConsultation()
  consultations.broken = await createConsultation()
  brokenImages = await addImages(consultations.broken, 3, 20)
  await fs.rm(path.join(ctx.uploadsDir, brokenImages[1]!.filename))
  consultations.truncated = await createConsultation()
  const [truncated] = await addImages(consultations.truncated, 1, 25)
  await fs.truncate(path.join(ctx.uploadsDir, truncated!.filename), 1000)
  consultations.abort = await createConsultation()
  await addLargeImages(consultations.abort, 2)
  consultations.disconnect = await createConsultation()
  await addLargeImages(consultations.disconnect, 2)
})

afterAll(async () => {
  await ctx.cleanup()
})

const download = (consultation: number | string, actor?: Actor): Promise<Response> =>
  api.request('GET', `/consultations/${consultation}/images/download`, { token: actor?.token })

const readZip = async (bytes: Buffer): Promise<Entry[]> =>
  (await readZipEntries(bytes)).map(({ data, entry }) => ({ bytes: data, method: entry.compressionMethod, name: entry.fileName }))

const downloadZip = async (consultation: number, actor: Actor = clinic.doctor): Promise<Entry[]> =>
  readZip(Buffer.from(await (await download(consultation, actor)).arrayBuffer()))

const entryText = (entries: Entry[], name: string): string => entries.find((entry) => entry.name === name)?.bytes.toString('utf8') ?? ''

const manifestOf = (entries: Entry[]): Manifest => JSON.parse(entryText(entries, 'manifest.json')) as Manifest

const storedFile = (image: StoredImage): Promise<Buffer> => fs.readFile(path.join(ctx.uploadsDir, image.filename))

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

/** Everything received until the body ends or breaks. */
const readUntilError = async (reader: ReadableStreamDefaultReader<Uint8Array>): Promise<{ bytes: Buffer; error: unknown }> => {
  const chunks: Uint8Array[] = []
  for (;;) {
    const chunk = await reader.read().catch((error: unknown) => ({ error }))
    if ('error' in chunk || chunk.done) {
      return { bytes: Buffer.concat(chunks), error: 'error' in chunk ? chunk.error : undefined }
    }
    chunks.push(chunk.value)
  }
}

/** Stored files and manifest spools this process holds open. */
const openFiles = async (): Promise<string[]> => {
  const fds = await fs.readdir('/proc/self/fd')
  const targets = await Promise.all(fds.map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')))
  const dirs = [ctx.uploadsDir, path.join(os.tmpdir(), 'derma-download-')]
  return targets.filter((target) => dirs.some((dir) => target.startsWith(dir))).sort()
}

const pool = (): Pool => (ctx.payload.db as unknown as { pool: Pool }).pool
const poolUsage = () => ({ busy: pool().totalCount - pool().idleCount, waiting: pool().waitingCount })

describe('archive content', () => {
  it('should hold every original under a server-made name, then the two manifests', async () => {
    const entries = await downloadZip(clinic.consultations.own)
    const kinds = ['clinical-overview', 'dermoscopic', 'clinical-close-up']
    expect(entries.map((entry) => entry.name)).toEqual([
      ...ownImages.map((image, index) => `images/00${index + 1}_${image.id}_${kinds[index]}.jpg`),
      'manifest.json',
      'manifest.csv',
    ])
  })

  it('should store the originals byte for byte without recompression', async () => {
    const entries = await downloadZip(clinic.consultations.own)
    const images = entries.filter((entry) => entry.name.startsWith('images/'))
    const stored = await Promise.all(ownImages.map(storedFile))
    expect(images.map((entry) => ({ bytes: entry.bytes, method: entry.method }))).toEqual(stored.map((bytes) => ({ bytes, method: 0 })))
  })

  it('should list each image in manifest.json with its entry, size, SHA-256 and clinical fields', async () => {
    const entries = await downloadZip(clinic.consultations.own)
    const manifest = manifestOf(entries)
    const stored = await Promise.all(ownImages.map(storedFile))
    expect(manifest).toMatchObject({ consultation: clinic.consultations.own, imageCount: 3, version: 1 })
    expect(manifest.images.map((row) => [row.id, row.entry, row.size, row.sha256])).toEqual(
      ownImages.map((image, index) => [image.id, entries[index]!.name, stored[index]!.length, sha256(stored[index]!)]),
    )
    expect(manifest.images[1]).toMatchObject({ acquisition: 'dermoscopic', bodySite: 'upper-back', description, isPrimary: false, laterality: 'left', mimeType: 'image/jpeg' })
  })

  it('should keep names out of the manifests', async () => {
    const entries = await downloadZip(clinic.consultations.own)
    const text = entryText(entries, 'manifest.json') + entryText(entries, 'manifest.csv')
    const names = [clinic.patient.user.name, clinic.doctor.user.name, clinic.patient.email, 'lesion.jpg', ownImages[0]!.filename] as string[]
    expect({ keys: Object.keys(manifestOf(entries).images[0]!).sort(), found: names.filter((name) => text.includes(name)) }).toEqual({
      found: [],
      keys: [...manifestColumns].sort(),
    })
  })

  it('should write manifest.csv with a header, one quoted row per image and formulas neutralised', async () => {
    const csv = entryText(await downloadZip(clinic.consultations.own), 'manifest.csv')
    expect({
      closeUp: csv.includes(`,"'=HYPERLINK(""x"")",`),
      dermoscopic: csv.includes(`,"Irregular border, ""asymmetric""\nre-check in 3 months",`),
      header: csv.split('\r\n')[0],
      rows: csv.split('\r\n').filter((line) => /^\d+,images\//.test(line)).length,
    }).toEqual({ closeUp: true, dermoscopic: true, header: `\uFEFF${manifestColumns.join(',')}`, rows: 3 })
  })

  it('should answer a consultation without images with a valid archive of the manifests only', async () => {
    const entries = await downloadZip(consultations.empty)
    expect({ manifest: manifestOf(entries).images, names: entries.map((entry) => entry.name) }).toEqual({
      manifest: [],
      names: ['manifest.json', 'manifest.csv'],
    })
  })

  it('should page through the images by ID, whatever the page size', async () => {
    const req = await createLocalReq({ user: clinic.doctor.user as never }, ctx.payload)
    const body = zipConsultationImages({
      config: sanitizePluginConfig({ uploadsDir: ctx.uploadsDir }),
      consultationId: clinic.consultations.own,
      pageSize: 2,
      req,
      store: createFileStore(ctx.uploadsDir),
    })
    const paged = await readZip(Buffer.from(await new Response(body).arrayBuffer()))
    const whole = await downloadZip(clinic.consultations.own)
    expect(paged.map((entry) => [entry.name, sha256(entry.bytes)]).slice(0, 3)).toEqual(
      whole.map((entry) => [entry.name, sha256(entry.bytes)]).slice(0, 3),
    )
  })
})

describe('headers', () => {
  it('should send the archive as a private, non-sniffable attachment', async () => {
    const res = await download(clinic.consultations.own, clinic.doctor)
    await res.body?.cancel()
    expect({
      cacheControl: res.headers.get('cache-control'),
      contentDisposition: res.headers.get('content-disposition'),
      contentType: res.headers.get('content-type'),
      nosniff: res.headers.get('x-content-type-options'),
    }).toEqual({
      cacheControl: 'private, no-store',
      contentDisposition: `attachment; filename="consultation-${clinic.consultations.own}-images.zip"`,
      contentType: 'application/zip',
      nosniff: 'nosniff',
    })
  })
})

describe('access', () => {
  it.each([
    ['admin', 200],
    ['doctor', 200],
    ['patient', 200],
  ] as const)('should let the %s download the three images', async (actor, status) => {
    const res = await download(clinic.consultations.own, clinic[actor])
    const entries = await readZip(Buffer.from(await res.arrayBuffer()))
    expect([res.status, entries.filter((entry) => entry.name.startsWith('images/')).length]).toEqual([status, 3])
  })

  it.each([
    ['otherDoctor', 404],
    ['otherPatient', 404],
  ] as const)('should answer %s with %i as if the consultation did not exist', async (actor, status) => {
    const res = await download(clinic.consultations.own, clinic[actor])
    expect([res.status, await res.json()]).toEqual([status, { errors: [{ message: expect.any(String) }] }])
  })

  it('should answer an anonymous request with 401', async () => {
    const res = await download(clinic.consultations.own)
    expect([res.status, await res.json()]).toEqual([401, { errors: [{ message: expect.any(String) }] }])
  })

  it('should answer a non-numeric ID with 400 on the id path', async () => {
    const res = await download('abc', clinic.admin)
    expect([res.status, await res.json()]).toEqual([400, { errors: [{ message: expect.any(String), path: 'id' }] }])
  })

  it('should answer a nonexistent ID with 404', async () => {
    const res = await download(999_999, clinic.admin)
    expect([res.status, await res.json()]).toEqual([404, { errors: [{ message: expect.any(String) }] }])
  })
})

describe('interrupted downloads', () => {
  it('should release every file and database connection when the client cancels after the first chunk', async () => {
    await downloadZip(consultations.abort)
    const before = { files: await openFiles(), pool: poolUsage() }
    const res = await download(consultations.abort, clinic.doctor)
    const reader = res.body!.getReader()
    await reader.read()
    const during = await openFiles()
    await reader.cancel()
    expect({ during: during.map((file) => path.basename(file)), files: await openFiles(), pool: poolUsage() }).toEqual({
      ...before,
      during: expect.arrayContaining(['manifest.csv', 'manifest.json']),
    })
  })

  it('should release every file when the request is aborted mid-download', async () => {
    const before = await openFiles()
    const abort = new AbortController()
    const res = await REST_GET(ctx.payload.config)(
      new Request(`http://localhost:3000/api/consultations/${consultations.disconnect}/images/download`, {
        headers: { Authorization: `JWT ${clinic.doctor.token}` },
        signal: abort.signal,
      }),
      { params: Promise.resolve({ slug: ['consultations', String(consultations.disconnect), 'images', 'download'] }) },
    )
    const reader = res.body!.getReader()
    await reader.read()
    abort.abort()
    // The body breaks only after the producer has closed its files.
    const { error } = await readUntilError(reader)
    expect({ aborted: error instanceof Error, files: await openFiles() }).toEqual({ aborted: true, files: before })
  })

  it('should break the body when a stored original is missing mid-stream', async () => {
    const res = await download(consultations.broken, clinic.doctor)
    const { error } = await readUntilError(res.body!.getReader())
    expect([res.status, error]).toEqual([200, expect.any(Error)])
  })

  it('should never let a broken download parse as a valid archive', async () => {
    const { bytes } = await readUntilError((await download(consultations.broken, clinic.doctor)).body!.getReader())
    await expect(readZip(bytes)).rejects.toThrow(/end of central directory/i)
  })

  it('should break the body when a stored original is shorter than its recorded size', async () => {
    const res = await download(consultations.truncated, clinic.doctor)
    const { bytes, error } = await readUntilError(res.body!.getReader())
    expect({ error, parses: await readZip(bytes).then(() => true, () => false) }).toEqual({ error: expect.any(Error), parses: false })
  })

  it('should log a mid-stream failure with IDs only', async () => {
    const spy = jest.spyOn(ctx.payload.logger, 'error')
    await readUntilError((await download(consultations.broken, clinic.doctor)).body!.getReader())
    const logged = spy.mock.calls.map(([entry]) => entry)
    spy.mockRestore()
    expect(logged).toEqual([
      { consultation: consultations.broken, errorCode: 'ENOENT', image: brokenImages[1]!.id, msg: expect.stringContaining('failed mid-stream') },
    ])
  })
})
