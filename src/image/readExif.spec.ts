import { readFile } from 'node:fs/promises'

import { clinicalExif, fixtures } from '../../test/fixtures/index.js'
import { exifDateToIso, formatCameraModel, readClinicalExif } from './readExif.js'

describe('exifDateToIso', () => {
  it('should apply OffsetTimeOriginal', () => {
    expect(exifDateToIso('2024:05:01 10:11:12', '+02:00')).toBe('2024-05-01T08:11:12.000Z')
  })

  it('should apply a negative offset and sub-seconds', () => {
    expect(exifDateToIso('2024:12:31 22:30:00', '-05:30', '5')).toBe('2025-01-01T04:00:00.500Z')
  })

  it('should read a date without an offset in the server time zone', () => {
    expect(exifDateToIso('2024:05:01 10:11:12')).toBe(new Date(2024, 4, 1, 10, 11, 12).toISOString())
  })

  it.each(['0000:00:00 00:00:00', '2024:13:01 10:00:00', 'yesterday', 42])('should ignore the invalid date %p', (value) => {
    expect(exifDateToIso(value, '+02:00')).toBeUndefined()
  })
})

describe('formatCameraModel', () => {
  it('should not repeat the make', () => {
    expect([formatCameraModel('Canon', 'Canon EOS R5'), formatCameraModel('Apple', 'iPhone 15 Pro')]).toEqual(['Canon EOS R5', 'Apple iPhone 15 Pro'])
  })
})

describe('readClinicalExif', () => {
  it('should read a whole JPEG file from its path', async () => {
    expect(await readClinicalExif(fixtures.jpegPrivate.path)).toMatchObject({ ...clinicalExif, orientation: 1 })
  })

  it('should read a HEIC from its bytes', async () => {
    expect(await readClinicalExif(await readFile(fixtures.heic.path))).toMatchObject({ ...clinicalExif, orientation: 6 })
  })

  it('should return no fields for a file without EXIF', async () => {
    expect(await readClinicalExif(await readFile(fixtures.cmyk.path))).toEqual({})
  })
})
