import type { ImageSize } from 'payload'

import { readFile } from 'node:fs/promises'
import sharp from 'sharp'

import { fixtures } from '../../test/fixtures/index.js'
import { defaultImageSizes } from '../defaults.js'
import { deriveSize } from './derive.js'
import { inputOptions } from './encode.js'

const derive = async (fixture: { path: string; height: number; width: number }, size: ImageSize, fallback: 'jpeg' | 'png' | 'webp' = 'jpeg') =>
  deriveSize(sharp, { data: await readFile(fixture.path), options: inputOptions(1_000_000) }, size, fixture, fallback)

const [thumbnail, preview] = defaultImageSizes as [ImageSize, ImageSize]

describe('deriveSize', () => {
  it('should make the default thumbnail as a 300×300 JPEG', async () => {
    const made = await derive(fixtures.jpegPrivate, thumbnail)
    expect(made).toMatchObject({ extension: 'jpg', height: 300, mimeType: 'image/jpeg', name: 'thumbnail', width: 300 })
  })

  it('should not enlarge the default preview of a small image', async () => {
    const made = await derive(fixtures.jpegPrivate, preview)
    expect(made).toMatchObject({ height: fixtures.jpegPrivate.height, name: 'preview', width: fixtures.jpegPrivate.width })
  })

  it('should make the size upright from an EXIF-rotated file', async () => {
    const made = await derive(fixtures.orientation8, { name: 'wide', fit: 'inside', height: 32, width: 32 })
    expect('width' in made && [made.width, made.height]).toEqual([32, 20])
  })

  it('should omit a size larger than the image when withoutEnlargement is left undefined, as Payload does', async () => {
    expect(await derive(fixtures.jpegPrivate, { name: 'large', height: 1000, width: 1000 })).toEqual({ name: 'large', omitted: true })
  })

  it('should keep the stored format when the size sets none', async () => {
    const made = await derive(fixtures.pngAlpha, { name: 'small', height: 10, width: 10 }, 'png')
    expect(made).toMatchObject({ extension: 'png', mimeType: 'image/png' })
  })

  it('should flatten transparency onto white when the size is a JPEG', async () => {
    const made = await derive(fixtures.pngAlpha, { name: 'small', formatOptions: { format: 'jpeg' }, height: 24, width: 32 }, 'png')
    const { data } = await sharp('buffer' in made ? made.buffer : Buffer.alloc(0)).raw().toBuffer({ resolveWithObject: true })
    // The fixture's top-left corner is fully transparent.
    expect([...data.subarray(0, 3)]).toEqual([255, 255, 255])
  })

  it('should apply the size’s formatOptions', async () => {
    const made = await derive(fixtures.jpegPrivate, { name: 'small', formatOptions: { format: 'webp', options: { quality: 50 } }, height: 10, width: 10 })
    expect(made).toMatchObject({ extension: 'webp', mimeType: 'image/webp' })
  })

  it('should refuse an image over the pixel limit', async () => {
    const data = await readFile(fixtures.jpegPrivate.path)
    await expect(deriveSize(sharp, { data, options: inputOptions(100) }, thumbnail, fixtures.jpegPrivate, 'jpeg')).rejects.toThrow(/pixel limit/i)
  })
})
