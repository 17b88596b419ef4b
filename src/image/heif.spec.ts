import { readFile } from 'node:fs/promises'

import { fixtures } from '../../test/fixtures/index.js'
import { HeifFormatError, parseHeif } from './heif.js'
import { readClinicalExifBlock } from './readExif.js'

describe('parseHeif', () => {
  it('should read the stored size of the primary image from ispe', async () => {
    const info = parseHeif(await readFile(fixtures.heic.path))
    expect({ largestPixels: info.largestPixels, primary: info.primary, primaryCodecs: info.primaryCodecs }).toEqual({
      largestPixels: 128 * 96,
      primary: { height: 96, width: 128 },
      primaryCodecs: ['hvc1'],
    })
  })

  it('should extract the Exif item as a TIFF structure', async () => {
    const { exif } = parseHeif(await readFile(fixtures.heic.path))
    const tags = await readClinicalExifBlock(exif ?? new Uint8Array())
    expect(Buffer.from(exif?.subarray(0, 4) ?? []).toString('latin1')).toBe('II*\0')
    expect(tags).toMatchObject({ cameraModel: 'Apple iPhone 15 Pro', orientation: 6 })
  })

  it('should extract the primary image ICC profile', async () => {
    const { icc } = parseHeif(await readFile(fixtures.heic.path))
    expect(Buffer.from(icc?.subarray(36, 40) ?? []).toString('latin1')).toBe('acsp')
  })

  it('should report the size an ispe claims without decoding', async () => {
    const info = parseHeif(await readFile(fixtures.pixelFloodHeic.path))
    expect(info.largestPixels).toBe(30000 * 30000)
  })

  it('should throw a HeifFormatError for a truncated file', async () => {
    const data = await readFile(fixtures.truncatedHeic.path)
    expect(() => parseHeif(data)).toThrow(HeifFormatError)
  })

  it('should throw a HeifFormatError for a box that overruns the file', () => {
    const data = Buffer.from([0, 0, 0, 24, ...Buffer.from('ftypheic'), 0, 0, 0, 0, 0, 0, 0, 200, ...Buffer.from('meta')])
    expect(() => parseHeif(data)).toThrow(HeifFormatError)
  })

  it('should read an AVIF primary item as av01', async () => {
    const info = parseHeif(await readFile(fixtures.avif.path))
    expect(info.primaryCodecs).toEqual(['av01'])
  })
})
