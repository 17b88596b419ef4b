import exifr from 'exifr'
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'

import type { IngestLimits } from './index.js'

import { clinicalExif, fixtures, gpsRationalBytes, markers, orientationFixtures, privateValues } from '../../test/fixtures/index.js'
import { isNear, readPixels } from '../../test/fixtures/pixels.js'
import { closeHeicDecoders } from './heicPool.js'
import { ingestImage, IngestError } from './index.js'

const limits: IngestLimits = {
  allowedMimeTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'],
  maxFileSize: 10 * 1024 * 1024,
  maxPixels: 40_000_000,
}

const ingest = (path: string, overrides: Partial<IngestLimits> = {}) => ingestImage({ path }, { ...limits, ...overrides }, sharp)

const rejection = async (promise: Promise<unknown>): Promise<IngestError> => {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(IngestError)
  return error as IngestError
}

const privateFixtures = [fixtures.jpegPrivate, fixtures.heic, fixtures.pngAlpha, fixtures.webp]

afterAll(async () => {
  await closeHeicDecoders()
})

describe('ingestImage: accepted images', () => {
  it.each(orientationFixtures.map((fixture) => [fixture.orientation, fixture] as const))(
    'should store orientation %i upright with the red marker top-left and the blue one top-right',
    async (_orientation, fixture) => {
      const result = await ingest(fixture.path)
      const pixels = await readPixels(result.buffer)
      const inset = markers.size / 2
      expect({ height: result.height, width: result.width }).toEqual({ height: 40, width: 64 })
      expect(isNear(pixels.at(inset, inset), markers.red)).toBe(true)
      expect(isNear(pixels.at(pixels.width - inset, inset), markers.blue)).toBe(true)
    },
  )

  it('should swap the stored dimensions of the orientation-8 fixture', async () => {
    const stored = await sharp(fixtures.orientation8.path).metadata()
    const result = await ingest(fixtures.orientation8.path)
    expect({ height: stored.height, width: stored.width }).toEqual({ height: 64, width: 40 })
    expect({ height: result.height, width: result.width, orientation: result.exif.orientation }).toEqual({ height: 40, orientation: 8, width: 64 })
  })

  it('should store an iPhone-like HEIC as an upright JPEG (container rotation applied once)', async () => {
    const result = await ingest(fixtures.heic.path)
    const pixels = await readPixels(result.buffer)
    expect({ detectedType: result.detectedType, extension: result.extension, height: result.height, mimeType: result.mimeType, width: result.width }).toEqual({
      detectedType: 'image/heic',
      extension: 'jpg',
      height: 128,
      mimeType: 'image/jpeg',
      width: 96,
    })
    expect(isNear(pixels.at(8, 8), markers.red)).toBe(true)
    expect(isNear(pixels.at(pixels.width - 8, 8), markers.blue)).toBe(true)
  })

  it.each([fixtures.jpegPrivate, fixtures.heic, fixtures.pngAlpha, fixtures.webp])('should read the clinical EXIF fields of $file', async (fixture) => {
    const result = await ingest(fixture.path)
    expect(result.exif).toMatchObject(clinicalExif)
  })

  it('should report the original EXIF orientation of a HEIC', async () => {
    const result = await ingest(fixtures.heic.path)
    expect(result.exif.orientation).toBe(6)
  })

  it('should give no EXIF fields for an image without EXIF', async () => {
    const result = await ingest(fixtures.cmyk.path)
    expect(result.exif).toEqual({})
  })

  it('should keep a PNG lossless with its alpha channel', async () => {
    const result = await ingest(fixtures.pngAlpha.path)
    const metadata = await sharp(result.buffer).metadata()
    const alpha = await sharp(result.buffer).extractChannel(3).raw().toBuffer()
    expect({ format: metadata.format, hasAlpha: metadata.hasAlpha, mimeType: result.mimeType }).toEqual({ format: 'png', hasAlpha: true, mimeType: 'image/png' })
    expect([alpha[0], alpha[alpha.length - 1]]).toEqual([0, 255])
  })

  it('should keep a 16-bit PNG at 16 bits per channel with the same pixels', async () => {
    const result = await ingest(fixtures.png16.path)
    const metadata = await sharp(result.buffer).metadata()
    const input = await sharp(fixtures.png16.path).raw({ depth: 'ushort' }).toBuffer()
    const output = await sharp(result.buffer).raw({ depth: 'ushort' }).toBuffer()
    expect(metadata.depth).toBe('ushort')
    expect(output.equals(input)).toBe(true)
  })

  it('should store a WebP as WebP with its alpha channel', async () => {
    const result = await ingest(fixtures.webp.path)
    const metadata = await sharp(result.buffer).metadata()
    expect({ extension: result.extension, format: metadata.format, hasAlpha: metadata.hasAlpha }).toEqual({ extension: 'webp', format: 'webp', hasAlpha: true })
  })

  it('should convert a CMYK JPEG to an sRGB JPEG', async () => {
    const result = await ingest(fixtures.cmyk.path)
    const metadata = await sharp(result.buffer).metadata()
    const pixels = await readPixels(result.buffer)
    expect({ channels: metadata.channels, space: metadata.space }).toEqual({ channels: 3, space: 'srgb' })
    expect(isNear(pixels.at(16, 16), [232, 0, 0], 25)).toBe(true)
  })

  it('should flatten a transparent HEIC onto white', async () => {
    const result = await ingest(fixtures.heicAlpha.path)
    const pixels = await readPixels(result.buffer)
    const metadata = await sharp(result.buffer).metadata()
    expect({ format: metadata.format, hasAlpha: metadata.hasAlpha }).toEqual({ format: 'jpeg', hasAlpha: false })
    expect(isNear(pixels.at(4, 24), [255, 255, 255], 8)).toBe(true)
    expect(isNear(pixels.at(pixels.width - 8, 4), markers.blue)).toBe(true)
  })

  it('should store a PNG named .jpg as the PNG it is', async () => {
    const result = await ingest(fixtures.pngNamedJpg.path)
    expect({ detectedType: result.detectedType, extension: result.extension, mimeType: result.mimeType }).toEqual({
      detectedType: 'image/png',
      extension: 'png',
      mimeType: 'image/png',
    })
  })

  it('should give the same result for a path and for the same bytes in memory', async () => {
    const fromPath = await ingest(fixtures.jpegPrivate.path)
    const fromData = await ingestImage({ data: await readFile(fixtures.jpegPrivate.path) }, limits, sharp)
    expect(fromData.buffer.equals(fromPath.buffer)).toBe(true)
  })

  it('should accept a HEIC when only image/heif is allowed', async () => {
    const result = await ingest(fixtures.heic.path, { allowedMimeTypes: ['image/heif'] })
    expect(result.detectedType).toBe('image/heic')
  })
})

describe('ingestImage: private metadata', () => {
  it.each(privateFixtures)('should leave none of the private values in the bytes stored for $file', async (fixture) => {
    const { buffer } = await ingest(fixture.path)
    const text = buffer.toString('latin1')
    const found = [...Object.values(privateValues).filter((value) => typeof value === 'string'), 'Exif\0\0', 'II*\0', 'MM\0*', 'http://ns.adobe.com/xap/', 'x:xmpmeta', 'Photoshop 3.0'].filter((value) =>
      text.includes(value),
    )
    expect(found).toEqual([])
    expect(gpsRationalBytes.filter((bytes) => buffer.includes(bytes))).toEqual([])
  })

  it.each(privateFixtures)('should leave no EXIF, XMP or IPTC block in $file', async (fixture) => {
    const { buffer } = await ingest(fixture.path)
    const metadata = await sharp(buffer).metadata()
    expect({ exif: metadata.exif, iptc: metadata.iptc, xmp: metadata.xmp }).toEqual({ exif: undefined, iptc: undefined, xmp: undefined })
  })

  // exifr reads JPEG, PNG and TIFF (not WebP, which the byte search above covers).
  it.each([fixtures.jpegPrivate, fixtures.heic, fixtures.pngAlpha])('should give exifr no tags and no thumbnail from $file', async (fixture) => {
    const { buffer } = await ingest(fixture.path)
    const tags: unknown = await exifr.parse(buffer, { gps: true, ifd1: true, ihdr: false, makerNote: true, tiff: true, userComment: true, xmp: true })
    const thumbnail = await exifr.thumbnail(buffer)
    expect(tags).toBeUndefined()
    expect(thumbnail).toBeUndefined()
  })

  it.each([fixtures.jpegPrivate, fixtures.heic])('should keep the Display P3 profile of $file byte for byte', async (fixture) => {
    const { buffer } = await ingest(fixture.path)
    const output = await sharp(buffer).metadata()
    const input = fixture === fixtures.heic ? await sharp(fixtures.jpegPrivate.path).metadata() : await sharp(fixture.path).metadata()
    expect(output.icc?.equals(input.icc ?? Buffer.alloc(0))).toBe(true)
  })
})

describe('ingestImage: limits and damage', () => {
  it('should reject an empty file with 400', async () => {
    const error = await rejection(ingest(fixtures.empty.path))
    expect({ message: error.message, status: error.status }).toEqual({ message: 'The file is empty.', status: 400 })
  })

  it('should reject empty data with 400', async () => {
    const error = await rejection(ingestImage({ data: Buffer.alloc(0) }, limits, sharp))
    expect(error.status).toBe(400)
  })

  it('should reject a file over maxFileSize with 413 from its size alone, before reading it', async () => {
    // A sparse 4 GiB file: reading it would take seconds and 4 GiB of memory.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'derma-ingest-'))
    const huge = path.join(dir, 'huge.jpg')
    await writeFile(huge, await readFile(fixtures.jpegPrivate.path))
    await truncate(huge, 4 * 1024 ** 3)
    const started = performance.now()
    const error = await rejection(ingest(huge)).finally(() => rm(dir, { force: true, recursive: true }))
    expect({ message: error.message, status: error.status }).toEqual({ message: 'This file is too large (4096 MB); the maximum is 10 MB.', status: 413 })
    expect(performance.now() - started).toBeLessThan(200)
  })

  it('should reject data over maxFileSize with 413', async () => {
    const error = await rejection(ingestImage({ data: Buffer.alloc(2 * 1024 * 1024, 0xff) }, { ...limits, maxFileSize: 1024 * 1024 }, sharp))
    expect({ message: error.message, status: error.status }).toEqual({ message: 'This file is too large (2 MB); the maximum is 1 MB.', status: 413 })
  })

  it.each([fixtures.pixelFloodPng, fixtures.pixelFloodJpeg, fixtures.pixelFloodHeic])('should reject the pixel flood $file with 413 within 200 ms', async (fixture) => {
    const started = performance.now()
    const error = await rejection(ingest(fixture.path))
    expect({ isTooLarge: error.message.includes('too large'), status: error.status }).toEqual({ isTooLarge: true, status: 413 })
    expect(performance.now() - started).toBeLessThan(200)
  })

  it('should reject an image over maxPixels with 413', async () => {
    const error = await rejection(ingest(fixtures.jpegPrivate.path, { maxPixels: 120 * 80 - 1 }))
    expect(error.status).toBe(413)
  })

  it('should reject a HEIC over maxPixels with 413 naming its size', async () => {
    const error = await rejection(ingest(fixtures.heic.path, { maxPixels: 1000 }))
    expect({ message: error.message, status: error.status }).toEqual({
      message: 'This image is too large (128 × 96 pixels); the maximum is 1,000 pixels.',
      status: 413,
    })
  })

  it.each([fixtures.truncatedJpeg, fixtures.truncatedHeic])('should reject the truncated $file with 400', async (fixture) => {
    const error = await rejection(ingest(fixture.path))
    expect({ message: error.message, status: error.status }).toEqual({ message: 'This image is damaged or incomplete and could not be read.', status: 400 })
  })

  it('should reject a PNG whose compressed data is garbage with 400', async () => {
    const png = Buffer.from(await readFile(fixtures.pngNamedJpg.path))
    const idat = png.indexOf('IDAT')
    png.fill(0x55, idat + 4, idat + 4 + png.readUInt32BE(idat - 4))
    const error = await rejection(ingestImage({ data: png }, limits, sharp))
    expect(error.status).toBe(400)
  })
})

describe('ingestImage: file types', () => {
  const unsupported = [fixtures.gif, fixtures.tiff, fixtures.avif, fixtures.svg, fixtures.pdf, fixtures.html, fixtures.textNamedJpg]

  it.each(unsupported)('should reject $file with 415 naming what it is and what is accepted', async (fixture) => {
    const error = await rejection(ingest(fixture.path))
    expect({ message: error.message, status: error.status }).toEqual({ message: fixture.message, status: 415 })
  })

  it('should reject a type that is decodable but not allowed with 415', async () => {
    const error = await rejection(ingest(fixtures.webp.path, { allowedMimeTypes: ['image/jpeg', 'image/png'] }))
    expect({ message: error.message, status: error.status }).toEqual({ message: 'This file is a WebP image; accepted: JPEG, PNG.', status: 415 })
  })

  it('should reject a HEIC when HEIC is not allowed with 415', async () => {
    const error = await rejection(ingest(fixtures.heic.path, { allowedMimeTypes: ['image/jpeg'] }))
    expect({ message: error.message, status: error.status }).toEqual({ message: 'This file is a HEIC image; accepted: JPEG.', status: 415 })
  })
})
