import exifr from 'exifr'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

import type { ActorName } from '../helpers/actors.js'
import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { deidentifiedColumns } from '../../src/operations/zipForPurpose.js'
import { fixtures, gpsRationalBytes, privateValues } from '../fixtures/index.js'
import { tokenOf } from '../helpers/actors.js'
import { makeJpeg } from '../helpers/images.js'
import { photoForm, startClinic } from '../helpers/setup.js'
import { readZipEntries } from '../helpers/zip.js'

type Entry = { bytes: Buffer; modified: Date; name: string }
type Manifest = { images: Record<string, unknown>[]; [key: string]: unknown }
type Pool = { query: (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> }
type Stored = { consultation: number; filename: string; id: number }

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let pool: Pool
/** The own consultation's images by consent, and the other consultation's teaching image. */
const images = {} as { care: Stored; otherTeaching: Stored; private: Stored; research: Stored; teaching: Stored }

const description = 'Jane Doe, mole checked at her request'
const privateName = 'Jane-Doe-left-shoulder.jpg'

const upload = async (actor: ActorName, consultation: number, bytes: Buffer, metadata: Record<string, unknown>, name = 'photo.jpg'): Promise<Stored> => {
  const res = await api.request('POST', `/consultations/${consultation}/images`, { body: photoForm(bytes, metadata, name), token: tokenOf(clinic, actor) })
  expect(res.status).toBe(201)
  return ((await res.json()) as { doc: Stored }).doc
}

beforeAll(async () => {
  ;({ api, clinic, ...ctx } = await startClinic('exports'))
  pool = (ctx.payload.db as unknown as { pool: Pool }).pool
  const own = clinic.consultations.own
  const jpeg = (seed: number) => makeJpeg({ height: 240, seed, width: 320 })
  images.teaching = await upload('doctor', own, await jpeg(1), { acquisition: 'dermoscopic', bodySite: 'upper-back', consentScopes: ['care', 'teaching'], description, laterality: 'left' }, privateName)
  images.research = await upload('doctor', own, await jpeg(2), { bodySite: 'forearm', consentScopes: ['care', 'research'] })
  images.care = await upload('doctor', own, await jpeg(3), { bodySite: 'scalp', consentScopes: ['care'] })
  images.private = await upload('doctor', own, await fs.readFile(fixtures.jpegPrivate.path), { acquisition: 'clinical-close-up', consentScopes: ['care', 'teaching', 'research'] }, privateName)
  images.otherTeaching = await upload('otherDoctor', clinic.consultations.other, await jpeg(4), { bodySite: 'upper-back', consentScopes: ['teaching'] })
})

afterAll(async () => {
  await ctx.cleanup()
})

const get = (url: `/${string}`, actor: ActorName = 'doctor') => api.request('GET', url, { token: tokenOf(clinic, actor) })

const exportOf = (query: string, actor: ActorName = 'doctor') => get(`/consultation-images/export.zip?${query}`, actor)

const consultationExport = (purpose: string, actor: ActorName = 'doctor', consultation = clinic.consultations.own) =>
  get(`/consultations/${consultation}/images/download?purpose=${purpose}`, actor)

const entriesOf = async (res: Response): Promise<Entry[]> =>
  (await readZipEntries(Buffer.from(await res.arrayBuffer()))).map(({ data, entry }) => ({ bytes: data, modified: entry.getLastModDate(), name: entry.fileName }))

const text = (entries: Entry[], name: string): string => entries.find((entry) => entry.name === name)?.bytes.toString('utf8') ?? ''

const manifestOf = (entries: Entry[]): Manifest => JSON.parse(text(entries, 'manifest.json')) as Manifest

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

const storedHash = async (image: Stored): Promise<string> => sha256(await fs.readFile(path.join(ctx.uploadsDir, image.filename)))

/** The stored originals' hashes of `which`, in ID order: what an export of them must hold. */
const hashesOf = async (...which: Stored[]): Promise<string[]> => Promise.all([...which].sort((a, b) => a.id - b.id).map(storedHash))

const imageHashes = (entries: Entry[]): string[] => entries.filter((entry) => entry.name.startsWith('images/')).map((entry) => sha256(entry.bytes))

const messages = async (res: Response): Promise<string[]> => ((await res.json()) as { errors: { message: string }[] }).errors.map((error) => error.message)

describe('only consented images, on every route', () => {
  it('should put only the consultation’s teaching-consented images in its teaching export', async () => {
    const res = await consultationExport('teaching')
    expect([res.status, imageHashes(await entriesOf(res))]).toEqual([200, await hashesOf(images.teaching, images.private)])
  })

  it('should put only the consultation’s research-consented images in its research export', async () => {
    const res = await consultationExport('research')
    expect([res.status, imageHashes(await entriesOf(res))]).toEqual([200, await hashesOf(images.research, images.private)])
  })

  it('should put every consultation’s teaching-consented images in an admin’s cross-consultation export', async () => {
    const res = await exportOf('purpose=teaching', 'admin')
    expect([res.status, res.headers.get('x-total-count'), imageHashes(await entriesOf(res))]).toEqual([
      200,
      '3',
      await hashesOf(images.teaching, images.private, images.otherTeaching),
    ])
  })

  it('should put only the images a doctor may read in their cross-consultation export', async () => {
    const mine = await exportOf('purpose=teaching', 'doctor')
    const theirs = await exportOf('purpose=teaching', 'otherDoctor')
    expect([imageHashes(await entriesOf(mine)), imageHashes(await entriesOf(theirs))]).toEqual([
      await hashesOf(images.teaching, images.private),
      await hashesOf(images.otherTeaching),
    ])
  })

  it('should put only research-consented images in a research export', async () => {
    const res = await exportOf('purpose=research', 'admin')
    expect(imageHashes(await entriesOf(res))).toEqual(await hashesOf(images.research, images.private))
  })

  it('should still put every image in the treating team’s consultation ZIP (care is not gated by consent)', async () => {
    const res = await get(`/consultations/${clinic.consultations.own}/images/download`)
    expect(imageHashes(await entriesOf(res))).toHaveLength(5)
  })

  it('should leave out at once an image whose teaching consent is withdrawn', async () => {
    const image = await upload('doctor', clinic.consultations.own, await makeJpeg({ height: 200, seed: 9, width: 300 }), { consentScopes: ['care', 'teaching'] })
    const hash = await storedHash(image)
    const before = imageHashes(await entriesOf(await exportOf('purpose=teaching')))
    const withdrawn = await api.request('PATCH', `/consultation-images/${image.id}`, { body: { consentScopes: ['care'] }, token: clinic.doctor.token })
    const after = imageHashes(await entriesOf(await exportOf('purpose=teaching')))
    const perConsultation = imageHashes(await entriesOf(await consultationExport('teaching')))
    await api.request('DELETE', `/consultation-images/${image.id}`, { token: clinic.doctor.token })
    expect([before.includes(hash), withdrawn.status, after.includes(hash), perConsultation.includes(hash)]).toEqual([
      true,
      200,
      false,
      false,
    ])
  })
})

describe('filters', () => {
  it.each([
    ['bodySite=upper-back', 'admin', () => [images.teaching, images.otherTeaching]],
    ['acquisition=clinical-close-up', 'admin', () => [images.private]],
    ['laterality=left', 'admin', () => [images.teaching]],
    ['bodySite=scalp', 'admin', () => []],
  ] as const)('should export with %s only the matching consented images', async (filter, actor, expected) => {
    const res = await exportOf(`purpose=teaching&${filter}`, actor)
    expect(imageHashes(await entriesOf(res))).toEqual(await hashesOf(...expected()))
  })

  it('should filter by capture day, the upload day for photos without one', async () => {
    // The private fixture was taken on 2024-05-01; the generated JPEGs carry no date (uploaded today).
    const today = new Date().toISOString().slice(0, 10)
    const may = await exportOf('purpose=teaching&from=2024-05-01&to=2024-05-01', 'admin')
    const uploadedToday = await exportOf(`purpose=teaching&from=${today}`, 'admin')
    expect([imageHashes(await entriesOf(may)), imageHashes(await entriesOf(uploadedToday))]).toEqual([
      await hashesOf(images.private),
      await hashesOf(images.teaching, images.otherTeaching),
    ])
  })

  it('should page through a large export, numbering across pages', async () => {
    const res = await exportOf('purpose=teaching&limit=1&page=2', 'admin')
    const entries = await entriesOf(res)
    expect([res.headers.get('x-total-count'), res.headers.get('content-disposition'), imageHashes(entries), entries[0]?.name]).toEqual([
      '3',
      'attachment; filename="teaching-images-page-2.zip"',
      await hashesOf(images.private),
      'images/002_unspecified.jpg',
    ])
  })
})

describe('de-identification', () => {
  let entries: Entry[]
  let manifestText: string
  const window = { after: 0, before: 0 }

  beforeAll(async () => {
    window.before = Date.now() - 2000
    entries = await entriesOf(await consultationExport('teaching'))
    window.after = Date.now() + 2000
    manifestText = text(entries, 'manifest.json') + text(entries, 'manifest.csv')
  })

  it('should name entries by sequence and body site only', () => {
    expect(entries.map((entry) => entry.name)).toEqual(['images/001_upper-back.jpg', 'images/002_unspecified.jpg', 'manifest.json', 'manifest.csv'])
  })

  it('should give the manifest only coded fields, file facts and the capture year', () => {
    const manifest = manifestOf(entries)
    expect({ head: Object.keys(manifest).sort(), keys: manifest.images.map((row) => Object.keys(row).sort()), years: manifest.images.map((row) => row.year) }).toEqual({
      head: ['deidentified', 'generatedAt', 'imageCount', 'imageCountTotal', 'images', 'page', 'purpose', 'version'],
      keys: [[...deidentifiedColumns].sort(), [...deidentifiedColumns].sort()],
      years: [new Date().getUTCFullYear(), 2024],
    })
  })

  it('should carry no ID, name, email, description, original file name or full date in the manifests', () => {
    const identifying = [
      `"id"`, 'consultation', 'patient', clinic.patient.email, 'Jane', privateName, description, '2024-05-01', 'Apple iPhone',
      ...[images.teaching, images.private].map((image) => image.filename),
    ]
    expect(identifying.filter((needle) => manifestText.includes(needle))).toEqual([])
  })

  it('should write the export time, not the upload time, in every ZIP header', () => {
    const times = entries.map((entry) => entry.modified.getTime())
    expect(times.every((time) => time >= window.before && time <= window.after)).toBe(true)
  })

  it('should carry the stored re-encoded original, without EXIF GPS, serials or maker notes', async () => {
    const needles = [...[privateValues.serial, privateValues.lensSerial, privateValues.makerNote, privateValues.owner, privateValues.xmp, privateValues.artist, privateValues.description].map((value) => Buffer.from(value)), ...gpsRationalBytes]
    const photos = entries.filter((entry) => entry.name.startsWith('images/'))
    const found = photos.flatMap((entry) => needles.filter((needle) => entry.bytes.includes(needle)).map(String))
    const gps = await Promise.all(photos.map((entry) => exifr.gps(entry.bytes).catch(() => undefined)))
    expect({ found, gps: gps.filter(Boolean), hashes: imageHashes(entries) }).toEqual({ found: [], gps: [], hashes: await hashesOf(images.teaching, images.private) })
  })

  it('should answer a private, non-sniffable attachment named after the purpose only', async () => {
    const res = await consultationExport('teaching')
    await res.body?.cancel()
    expect([res.headers.get('content-type'), res.headers.get('cache-control'), res.headers.get('content-disposition'), res.headers.get('x-content-type-options')]).toEqual([
      'application/zip',
      'private, no-store',
      'attachment; filename="teaching-images.zip"',
      'nosniff',
    ])
  })
})

describe('who may export', () => {
  it.each<[ActorName, number]>([
    ['patient', 403],
    ['otherPatient', 403],
    ['anonymous', 401],
  ])('should refuse %s the cross-consultation export with %i', async (actor, status) => {
    expect((await exportOf('purpose=teaching', actor)).status).toBe(status)
  })

  it.each<[ActorName, number]>([
    ['patient', 403],
    ['otherPatient', 404],
    ['otherDoctor', 404],
    ['anonymous', 401],
  ])('should refuse %s the consultation’s teaching export with %i', async (actor, status) => {
    expect((await consultationExport('teaching', actor)).status).toBe(status)
  })

  it('should still give the patient their own consultation ZIP', async () => {
    const res = await get(`/consultations/${clinic.consultations.own}/images/download`, 'patient')
    await res.body?.cancel()
    expect(res.status).toBe(200)
  })
})

describe('limits and bad input', () => {
  it.each([
    ['', 'The purpose is "teaching" or "research".'],
    ['purpose=care', 'The purpose is "teaching" or "research".'],
    ['purpose=second-opinion', 'The purpose is "teaching" or "research".'],
    ['purpose=teaching&limit=501', 'One export holds at most 500 images: ask for the next page (page=2, …) for more.'],
    ['purpose=teaching&from=2024-06-01&to=2024-05-01', '"from" must not be after "to".'],
    ['purpose=teaching&from=yesterday', 'A date is written YYYY-MM-DD.'],
    ['purpose=teaching&patient=3', 'Unknown field "patient".'],
  ])('should answer "%s" with a 400 and a message', async (query, message) => {
    const res = await exportOf(query, 'admin')
    expect([res.status, await messages(res)]).toEqual([400, [message]])
  })

  it('should answer an unknown purpose on the consultation ZIP with a 400', async () => {
    const res = await consultationExport('marketing')
    expect([res.status, await messages(res)]).toEqual([400, ['The purpose is "teaching" or "research".']])
  })

  it('should answer other methods on the export with a 405', async () => {
    const res = await api.request('DELETE', '/consultation-images/export.zip', { token: clinic.admin.token })
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'GET'])
  })
})

describe('audit', () => {
  const eventsOf = async (act: () => Promise<unknown>) => {
    const { rows } = await pool.query('SELECT coalesce(max(id), 0) AS id FROM audit_events')
    await act()
    return (await pool.query('SELECT action, channel, document_id, patient, variant, "user" FROM audit_events WHERE id > $1 ORDER BY id', [rows[0]?.id ?? 0])).rows
  }

  it('should record one zip-export per image, naming the purpose and the patient', async () => {
    const events = await eventsOf(async () => (await exportOf('purpose=teaching', 'doctor')).arrayBuffer())
    expect(events).toEqual(
      [images.teaching, images.private].map((image) => ({
        action: 'zip-export',
        channel: 'zip',
        document_id: String(image.id),
        patient: String(clinic.patient.id),
        user: String(clinic.doctor.id),
        variant: 'teaching',
      })),
    )
  })

  it('should record an empty export once', async () => {
    const events = await eventsOf(async () => (await exportOf('purpose=teaching&bodySite=scalp', 'doctor')).arrayBuffer())
    expect(events.map((event) => [event.action, event.document_id, event.variant])).toEqual([['zip-export', null, 'teaching']])
  })

  it('should refuse the export with a 503 when its audit events cannot be written', async () => {
    await pool.query('ALTER TABLE audit_events RENAME TO audit_events_unavailable')
    try {
      const res = await exportOf('purpose=teaching', 'doctor')
      expect([res.status, await messages(res)]).toEqual([503, ['Something went wrong.']])
    } finally {
      await pool.query('ALTER TABLE audit_events_unavailable RENAME TO audit_events')
    }
  })
})
