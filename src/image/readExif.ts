import exifr from 'exifr'

import { HeifFormatError, parseHeif } from './heif.js'
import { sniffType } from './sniff.js'

export type ClinicalExif = {
  cameraModel?: string
  /** When the photo was taken, as an ISO 8601 UTC instant. */
  capturedAt?: string
  /** The camera's UTC offset at capture ("+02:00"), when EXIF records it (OffsetTimeOriginal). */
  capturedAtOffset?: string
  /** EXIF orientation of the original (1–8); the stored image is already upright. */
  orientation?: number
}

/** The only tags ever parsed: no GPS, no serial numbers, no maker notes. */
const clinicalTags = [
  'CreateDate',
  'DateTimeOriginal',
  'Make',
  'Model',
  'OffsetTimeDigitized',
  'OffsetTimeOriginal',
  'Orientation',
  'SubSecTimeDigitized',
  'SubSecTimeOriginal',
]

const exifrOptions = {
  gps: false,
  icc: false,
  ifd1: false,
  ihdr: false,
  interop: false,
  iptc: false,
  jfif: false,
  makerNote: false,
  pick: clinicalTags,
  reviveValues: false,
  translateValues: false,
  userComment: false,
  xmp: false,
}

const clean = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value.replace(/\0/g, '').trim().slice(0, 120) : undefined

/** "Apple iPhone 15 Pro" from Make "Apple" and Model "iPhone 15 Pro"; the model alone if it names the make. */
export const formatCameraModel = (make?: string, model?: string): string | undefined => {
  if (!model) {
    return make
  }
  return make && !model.toLowerCase().startsWith(make.toLowerCase()) ? `${make} ${model}` : model
}

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/
const EXIF_OFFSET = /^([+-])(\d{2}):(\d{2})$/

/**
 * An EXIF date ("2024:05:01 10:11:12") as an ISO UTC instant. With an offset ("+02:00") the
 * instant is exact; without one the wall-clock time is read in the server's time zone (as exifr
 * and earlier versions of this plugin did).
 */
export const exifDateToIso = (date: unknown, offset?: unknown, subSeconds?: unknown): string | undefined => {
  const match = typeof date === 'string' ? EXIF_DATE.exec(date.trim()) : null
  if (!match) {
    return undefined
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number]
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined
  }
  const digits = typeof subSeconds === 'string' || typeof subSeconds === 'number' ? String(subSeconds).trim() : ''
  const milliseconds = /^\d+$/.test(digits) ? Math.floor(Number(`0.${digits}`) * 1000) : 0
  const zone = typeof offset === 'string' ? EXIF_OFFSET.exec(offset.trim()) : null
  const time = zone
    ? Date.UTC(year, month - 1, day, hour, minute, second, milliseconds) -
      (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60_000
    : new Date(year, month - 1, day, hour, minute, second, milliseconds).getTime()
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}

const toClinicalExif = (tags: Record<string, unknown> | undefined): ClinicalExif => {
  if (!tags) {
    return {}
  }
  const isOriginal = tags.DateTimeOriginal !== undefined
  const offset = clean(isOriginal ? tags.OffsetTimeOriginal : tags.OffsetTimeDigitized)
  const capturedAt = exifDateToIso(
    isOriginal ? tags.DateTimeOriginal : tags.CreateDate,
    offset,
    isOriginal ? tags.SubSecTimeOriginal : tags.SubSecTimeDigitized,
  )
  const orientation = tags.Orientation
  return {
    cameraModel: formatCameraModel(clean(tags.Make), clean(tags.Model)),
    capturedAt,
    capturedAtOffset: capturedAt && offset && EXIF_OFFSET.test(offset) ? offset : undefined,
    orientation: typeof orientation === 'number' && Number.isInteger(orientation) && orientation >= 1 && orientation <= 8 ? orientation : undefined,
  }
}

const parse = async (input: Buffer | Uint8Array | string): Promise<ClinicalExif> => {
  try {
    return toClinicalExif((await exifr.parse(input, exifrOptions)) as Record<string, unknown> | undefined)
  } catch {
    // No or unreadable EXIF is normal (screenshots, exports): the fields stay empty.
    return {}
  }
}

const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00] // "Exif\0\0"

/**
 * Reads the clinical fields (see {@link readClinicalExif}) from a bare EXIF block: a TIFF
 * structure, optionally preceded by "Exif\0\0" (as sharp's `metadata().exif` and HEIF Exif items hold it).
 */
export const readClinicalExifBlock = (block: Uint8Array): Promise<ClinicalExif> => {
  const hasHeader = EXIF_HEADER.every((byte, index) => block[index] === byte)
  return parse(hasHeader ? block.subarray(EXIF_HEADER.length) : block)
}

/**
 * Reads only what the clinic needs from a whole image file (JPEG, PNG, TIFF, HEIC): when the
 * photo was taken, with which camera, and its orientation. GPS, serial numbers and everything
 * else are never even parsed.
 */
export const readClinicalExif = async (input: Buffer | string): Promise<ClinicalExif> => {
  const type = typeof input === 'string' ? undefined : sniffType(input).mime
  if (Buffer.isBuffer(input) && (type === 'image/heic' || type === 'image/heif')) {
    // exifr cannot find the Exif item in many HEIF layouts: read it from the container instead.
    try {
      const { exif } = parseHeif(input)
      return exif ? await readClinicalExifBlock(exif) : {}
    } catch (error) {
      if (error instanceof HeifFormatError) {
        return {}
      }
      throw error
    }
  }
  return parse(input)
}
