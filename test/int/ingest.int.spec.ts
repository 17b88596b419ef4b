import exifr from 'exifr'
import fs from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'

import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { clinicalExif, fixtures, gpsRationalBytes, markers, orientationFixtures, privateValues } from '../fixtures/index.js'
import { createClinic } from '../helpers/clinic.js'
import { listUploads, startPayload } from '../helpers/payload.js'
import { createRestClient } from '../helpers/rest.js'

let ctx: TestContext
let clinic: Clinic
let api: RestClient

beforeAll(async () => {
  ctx = await startPayload('ingest')
  clinic = await createClinic(ctx.payload)
  api = createRestClient(ctx.payload.config)
})

afterAll(async () => {
  await ctx.cleanup()
})

type StoredImage = {
  capturedAt?: string
  capturedAtOffset?: string
  cameraModel?: string
  filename: string
  height: number
  id: number
  mimeType: string
  originalFilename: string
  sizes: Record<string, { filename: string }>
  width: number
}

const upload = async (bytes: Buffer, name: string, type: string): Promise<Response> => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name)
  form.append('_payload', JSON.stringify({ consultation: clinic.consultations.own }))
  return api.request('POST', '/consultation-images', { body: form, token: clinic.doctor.token })
}

const uploadFixture = async (fixture: { file: string; path: string }, type = 'image/jpeg') =>
  upload(await fs.readFile(fixture.path), fixture.file, type)

const storedBytes = (image: StoredImage): Promise<Buffer[]> =>
  Promise.all(
    [image.filename, ...Object.values(image.sizes).map((size) => size.filename)]
      .filter((name): name is string => typeof name === 'string')
      .map((name) => fs.readFile(path.join(ctx.uploadsDir, name))),
  )

const imageCount = async (): Promise<number> => (await ctx.payload.count({ collection: 'consultation-images' })).totalDocs

const privateNeedles = [
  ...[privateValues.serial, privateValues.lensSerial, privateValues.makerNote, privateValues.owner, privateValues.xmp, privateValues.artist, privateValues.description].map((value) => Buffer.from(value)),
  ...gpsRationalBytes,
]

describe('accepted images', () => {
  const accepted = [fixtures.jpegPrivate, fixtures.heic, fixtures.heicAlpha, fixtures.pngAlpha, fixtures.png16, fixtures.webp, fixtures.cmyk]

  it.each(accepted.map((fixture) => [fixture.file, fixture] as const))('should store %s as an upright image of the expected type and size', async (_file, fixture) => {
    const res = await uploadFixture(fixture, fixture.detectedType)
    const { doc } = (await res.json()) as { doc: StoredImage }
    expect([res.status, doc.mimeType, doc.width, doc.height]).toEqual([201, fixture.mimeType, fixture.width, fixture.height])
  })

  it.each(accepted.map((fixture) => [fixture.file, fixture] as const))('should keep no private metadata in any stored byte of %s', async (_file, fixture) => {
    const { doc } = (await (await uploadFixture(fixture, fixture.detectedType)).json()) as { doc: StoredImage }
    const files = await storedBytes(doc)
    const found = files.flatMap((bytes) => privateNeedles.filter((needle) => bytes.includes(needle)).map(String))
    const gps = await Promise.all(files.map((bytes) => exifr.gps(bytes).catch(() => undefined)))
    expect({ found, gps: gps.filter(Boolean) }).toEqual({ found: [], gps: [] })
  })

  it.each([fixtures.jpegPrivate, fixtures.heic].map((fixture) => [fixture.file, fixture] as const))('should read the capture date, its offset and the camera of %s', async (_file, fixture) => {
    const { doc } = (await (await uploadFixture(fixture, fixture.detectedType)).json()) as { doc: StoredImage }
    expect({ cameraModel: doc.cameraModel, capturedAt: doc.capturedAt, capturedAtOffset: doc.capturedAtOffset }).toEqual(clinicalExif)
  })

  it.each(orientationFixtures.map((fixture) => [fixture.orientation, fixture] as const))('should store an EXIF orientation %i photo upright', async (_orientation, fixture) => {
    const { doc } = (await (await uploadFixture(fixture)).json()) as { doc: StoredImage }
    const stored = path.join(ctx.uploadsDir, doc.filename)
    const { data, info } = await sharp(stored).raw().toBuffer({ resolveWithObject: true })
    const pixel = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3))
    const near = (rgb: number[], target: readonly number[]) => rgb.every((value, index) => Math.abs(value - (target[index] ?? 0)) < 60)
    const half = markers.size / 2
    expect([info.width, info.height, near(pixel(half, half), markers.red), near(pixel(info.width - half, half), markers.blue)]).toEqual([64, 40, true, true])
  })

  it('should keep the client’s file name only as sanitised metadata', async () => {
    const bytes = await fs.readFile(fixtures.cmyk.path)
    const { doc } = (await (await upload(bytes, '../../etc/Durand Marie<>.jpg', 'image/jpeg')).json()) as { doc: StoredImage }
    expect([doc.originalFilename, /^\d{8}T\d{6}Z_[\da-f-]{36}\.jpg$/.test(doc.filename)]).toEqual(['Durand Marie__.jpg', true])
  })

  it('should make a 300×300 JPEG thumbnail', async () => {
    const { doc } = (await (await uploadFixture(fixtures.jpegPrivate)).json()) as { doc: StoredImage }
    const thumbnail = await sharp(path.join(ctx.uploadsDir, doc.sizes.thumbnail?.filename ?? '')).metadata()
    expect([thumbnail.format, thumbnail.width, thumbnail.height]).toEqual(['jpeg', 300, 300])
  })
})

describe('derivatives', () => {
  type SizeData = { filename: string; filesize: number; height: number; mimeType: string; url: string; width: number }

  const uploadPhoto = async (): Promise<StoredImage & { sizes: Record<string, SizeData> }> => {
    const bytes = await sharp({ create: { background: '#c89070', channels: 3, height: 1800, width: 2400 } }).jpeg().toBuffer()
    return ((await (await upload(bytes, 'photo.jpg', 'image/jpeg')).json()) as { doc: StoredImage & { sizes: Record<string, SizeData> } }).doc
  }

  it('should describe each configured size in the response with its URL, dimensions, type, size and file name', async () => {
    const doc = await uploadPhoto()
    const stem = doc.filename.replace(/\.jpg$/, '')
    const described = await Promise.all(
      Object.entries(doc.sizes).map(async ([name, size]) => [name, { ...size, stored: (await fs.stat(path.join(ctx.uploadsDir, size.filename))).size }]),
    )
    expect(Object.fromEntries(described)).toEqual({
      preview: { filename: `${stem}-1600x1200.jpg`, filesize: expect.any(Number), height: 1200, mimeType: 'image/jpeg', stored: doc.sizes.preview?.filesize, url: `/api/consultation-images/file/${stem}-1600x1200.jpg`, width: 1600 },
      thumbnail: { filename: `${stem}-300x300.jpg`, filesize: expect.any(Number), height: 300, mimeType: 'image/jpeg', stored: doc.sizes.thumbnail?.filesize, url: `/api/consultation-images/file/${stem}-300x300.jpg`, width: 300 },
    })
  })

  it('should store a replacing file’s original and sizes and remove the replaced files', async () => {
    const before = await uploadPhoto()
    const data = await sharp({ create: { background: '#7090c8', channels: 3, height: 900, width: 1200 } }).jpeg().toBuffer()
    const after = (await ctx.payload.update({
      collection: 'consultation-images',
      data: {},
      file: { data, mimetype: 'image/jpeg', name: 'replacement.jpg', size: data.length },
      id: before.id,
    })) as unknown as StoredImage & { sizes: Record<string, SizeData> }
    const names = (image: StoredImage) => [image.filename, ...Object.values(image.sizes).map((size) => size.filename)]
    const uploads = await listUploads(ctx.uploadsDir)
    expect({
      kept: names(before).filter((name) => uploads.includes(name)),
      preview: [after.sizes.preview?.width, after.sizes.preview?.height],
      stored: names(after).filter((name) => uploads.includes(name)).length,
    }).toEqual({ kept: [], preview: [1200, 900], stored: 3 })
  })

  it('should give the admin the thumbnail’s URL as thumbnailURL', async () => {
    const doc = (await uploadPhoto()) as StoredImage & { sizes: Record<string, SizeData>; thumbnailURL?: string }
    expect(doc.thumbnailURL).toBe(doc.sizes.thumbnail?.url)
  })

  it('should serve every derivative through the file route with its type', async () => {
    const doc = await uploadPhoto()
    const served = await Promise.all(
      Object.values(doc.sizes).map(async (size) => {
        const res = await api.request('GET', `/consultation-images/file/${size.filename}`, { token: clinic.doctor.token })
        return [res.status, res.headers.get('content-type'), (await res.arrayBuffer()).byteLength === size.filesize]
      }),
    )
    expect(served).toEqual([
      [200, 'image/jpeg', true],
      [200, 'image/jpeg', true],
    ])
  })
})

describe('refused files', () => {
  const refused = [
    fixtures.empty,
    fixtures.truncatedJpeg,
    fixtures.truncatedHeic,
    fixtures.pixelFloodPng,
    fixtures.pixelFloodJpeg,
    fixtures.pixelFloodHeic,
    fixtures.gif,
    fixtures.tiff,
    fixtures.avif,
    fixtures.svg,
    fixtures.pdf,
    fixtures.html,
    fixtures.textNamedJpg,
  ]

  it.each(refused.map((fixture) => [fixture.file, fixture] as const))('should refuse %s with its status and message, leaving nothing behind', async (_file, fixture) => {
    const [rowsBefore, filesBefore] = [await imageCount(), await listUploads(ctx.uploadsDir)]
    const res = await uploadFixture(fixture)
    const body = (await res.json()) as { errors: { message: string }[] }
    expect({
      files: await listUploads(ctx.uploadsDir),
      message: body.errors[0]?.message.includes(fixture.message),
      rows: await imageCount(),
      status: res.status,
    }).toEqual({ files: filesBefore, message: true, rows: rowsBefore, status: fixture.status })
  })

  it('should refuse a PNG declared as a JPEG', async () => {
    const res = await upload(await fs.readFile(fixtures.pngNamedJpg.path), 'photo.jpg', 'image/jpeg')
    expect(res.status).toBe(415)
  })

  const maxFileSize = 10 * 1024 * 1024
  const paddedJpeg = async (size: number): Promise<Buffer> => {
    const jpeg = await sharp({ create: { background: '#c89070', channels: 3, height: 64, width: 64 } }).jpeg().toBuffer()
    // Bytes after a JPEG's end-of-image marker are ignored by decoders: a valid file of any size.
    return Buffer.concat([jpeg, Buffer.alloc(size - jpeg.length, 0)])
  }

  it('should accept a file of exactly the size limit', async () => {
    const res = await upload(await paddedJpeg(maxFileSize), 'limit.jpg', 'image/jpeg')
    expect(res.status).toBe(201)
  })

  it('should refuse a file one byte over the size limit with 413', async () => {
    const res = await upload(await paddedJpeg(maxFileSize + 1), 'limit-plus-one.jpg', 'image/jpeg')
    expect(res.status).toBe(413)
  })
})

describe('concurrent uploads', () => {
  it('should store 20 parallel uploads of the same file name as 20 files, each served with its own bytes', async () => {
    const colours = Array.from({ length: 20 }, (_, index) => ({ b: 60, g: 120, r: 250 - index * 10 }))
    const responses = await Promise.all(
      colours.map(async (background) => {
        const bytes = await sharp({ create: { background, channels: 3, height: 48, width: 48 } }).jpeg({ quality: 95 }).toBuffer()
        return (await (await upload(bytes, 'IMG_0001.jpg', 'image/jpeg')).json()) as { doc: StoredImage }
      }),
    )
    const served = await Promise.all(
      responses.map(async ({ doc }) => {
        const res = await api.request('GET', `/consultation-images/file/${doc.filename}`, { token: clinic.doctor.token })
        const { data } = await sharp(Buffer.from(await res.arrayBuffer())).raw().toBuffer({ resolveWithObject: true })
        return Math.round((data[0] ?? 0) / 10) * 10
      }),
    )
    expect({
      distinct: new Set(responses.map(({ doc }) => doc.filename)).size,
      served,
    }).toEqual({ distinct: 20, served: colours.map((colour) => colour.r) })
  })
})
