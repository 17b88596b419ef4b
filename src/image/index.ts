import type { ImageSize } from 'payload'
import type { Metadata } from 'sharp'

import type { DerivedSize } from './derive.js'
import type { EncodedImage, OutputFormat, SharpFunction } from './encode.js'
import type { IngestInput } from './input.js'
import type { ClinicalExif } from './readExif.js'
import type { DecodableType } from './sniff.js'

import { deriveSize } from './derive.js'
import { encodeHeic, encodeImage, inputOptions } from './encode.js'
import { damagedImageError, IngestError, tooManyPixelsError, unsupportedTypeError } from './errors.js'
import { decodeHeic } from './heicPool.js'
import { HeifFormatError, parseHeif } from './heif.js'
import { loadInput } from './input.js'
import { readClinicalExifBlock } from './readExif.js'
import { describeAccepted, isAllowedType, isDecodableType, sniffType } from './sniff.js'

export { IngestError } from './errors.js'
export type { IngestErrorStatus } from './errors.js'
export type { Derivative, DerivedSize } from './derive.js'
export type { SharpFunction } from './encode.js'
export type { ClinicalExif } from './readExif.js'

export type IngestLimits = {
  /** MIME types that may be ingested; only JPEG, PNG, WebP and HEIC/HEIF can be. */
  allowedMimeTypes: string[]
  /** Largest accepted file, in bytes (413 above). */
  maxFileSize: number
  /** Largest accepted width × height, read from the header before decoding (413 above). */
  maxPixels: number
}

export type IngestedImage = {
  /** The re-encoded original to store: upright, ICC profile kept, every other metadata removed. */
  buffer: Buffer
  /** One entry per requested image size, in their order: made, or omitted as Payload would. */
  derivatives: DerivedSize[]
  /** What the bytes were, e.g. 'image/heic', whatever the file's name or declared type said. */
  detectedType: string
  exif: ClinicalExif
  extension: 'jpg' | 'png' | 'webp'
  /** Upright size of `buffer`. */
  height: number
  mimeType: 'image/jpeg' | 'image/png' | 'image/webp'
  /** Upright size of `buffer`. */
  width: number
}

const outputs = {
  jpeg: { extension: 'jpg', mimeType: 'image/jpeg' },
  png: { extension: 'png', mimeType: 'image/png' },
  webp: { extension: 'webp', mimeType: 'image/webp' },
} as const satisfies Record<OutputFormat, { extension: IngestedImage['extension']; mimeType: IngestedImage['mimeType'] }>

const sharpFormats = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' } as const

const isPixelLimitError = (error: unknown): boolean => error instanceof Error && /pixel limit/i.test(error.message)

/** sharp's failures as user-facing errors: too many pixels → 413, anything else → 400. */
const asIngestError = (error: unknown, maxPixels: number): IngestError => {
  if (error instanceof IngestError) {
    return error
  }
  return isPixelLimitError(error) ? tooManyPixelsError(maxPixels) : damagedImageError(error)
}

/** Width and height once EXIF orientation is applied (5–8 swap them). */
const uprightSize = ({ height, orientation = 1, width }: Metadata) =>
  orientation >= 5 ? { height: width, width: height } : { height, width }

type Ingested = { derivatives: DerivedSize[]; encoded: EncodedImage; exif: ClinicalExif }

/** The values of settled promises, or the first failure (the header's, when it failed) as an IngestError. */
const settle = async <T extends unknown[]>(maxPixels: number, promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> => {
  const results = await Promise.allSettled(promises)
  const failure = results.find((result) => result.status === 'rejected')
  if (failure) {
    throw asIngestError(failure.reason, maxPixels)
  }
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T
}

const ingestWithSharp = async (
  sharp: SharpFunction,
  data: Buffer,
  type: keyof typeof sharpFormats,
  maxPixels: number,
  sizes: ImageSize[],
): Promise<Ingested> => {
  const format = sharpFormats[type]
  const input = { data, options: inputOptions(maxPixels) }
  const header = sharp(data, input.options)
    .metadata()
    .then((metadata) => {
      if (metadata.format !== format) {
        throw damagedImageError(new Error(`sharp read ${metadata.format} from ${type} bytes`))
      }
      return metadata
    })
  const upright = header.then(uprightSize)
  // Awaited only by the sizes that need it; a failed header is reported through `header` itself.
  upright.catch(() => undefined)
  // Every pipeline starts at once, without waiting for the header: each enforces the pixel limit
  // on its own header read, before decoding. The original and each size come from the uploaded
  // bytes: the sizes shrink on load and run on other libuv threads while the original encodes (no
  // `clone()`: in sharp 0.35 it copies the input buffer on the main thread). Only a PNG's encode
  // needs the header (16-bit stays 16-bit), and a size only for Payload's omit rule.
  const [, exif, encoded, ...derivatives] = await settle<[Metadata, ClinicalExif, EncodedImage, ...DerivedSize[]]>(maxPixels, [
    header,
    header.then((metadata) => (metadata.exif ? readClinicalExifBlock(metadata.exif) : {})),
    format === 'png' ? header.then((metadata) => encodeImage(sharp, data, metadata, format, maxPixels)) : encodeImage(sharp, data, {}, format, maxPixels),
    ...sizes.map((size) => deriveSize(sharp, input, size, upright, format)),
  ])
  return { derivatives, encoded, exif }
}

const ingestHeic = async (sharp: SharpFunction, data: Buffer, limits: IngestLimits, sizes: ImageSize[]): Promise<Ingested> => {
  const { allowedMimeTypes, maxPixels } = limits
  let heif: ReturnType<typeof parseHeif>
  try {
    heif = parseHeif(data)
  } catch (error) {
    throw error instanceof HeifFormatError ? damagedImageError(error) : error
  }
  if (heif.primaryCodecs.includes('av01')) {
    // An AV1-coded HEIF is an AVIF, whatever brands it declares.
    throw unsupportedTypeError('an AVIF image', describeAccepted(allowedMimeTypes))
  }
  if (heif.primary.width * heif.primary.height > maxPixels || heif.largestPixels > maxPixels) {
    throw tooManyPixelsError(maxPixels, heif.primary)
  }
  const exif = heif.exif ? await readClinicalExifBlock(heif.exif) : {}
  const decoded = await decodeHeic(data, maxPixels)
  const [encoded] = await settle<[EncodedImage]>(maxPixels, [encodeHeic(sharp, decoded, heif.icc, maxPixels)])
  // The sizes come from the encoded JPEG, which carries the HEIC's ICC profile: sharp converts
  // them to sRGB as it does for any photo (raw pixels could not say which profile they are in).
  const input = { data: encoded.buffer, options: inputOptions(maxPixels) }
  const derivatives = await settle<DerivedSize[]>(
    maxPixels,
    sizes.map((size) => deriveSize(sharp, input, size, encoded, 'jpeg')),
  )
  return { derivatives, encoded, exif }
}

/**
 * The one way in for every image: recognises the file by its bytes, enforces the limits before
 * decoding, reads the clinical EXIF fields, and returns the image re-encoded upright with its ICC
 * profile and no other metadata, with its derivatives (`sizes`, Payload `imageSizes` semantics).
 * Throws {@link IngestError} (400, 413, 415 or 422) for bad input.
 *
 * `sharp` is the host's (`payload.config.sharp`).
 */
export const ingestImage = async (
  input: IngestInput,
  limits: IngestLimits,
  sharp: SharpFunction,
  sizes: ImageSize[] = [],
): Promise<IngestedImage> => {
  const data = await loadInput(input, limits.maxFileSize)
  const sniffed = sniffType(data)
  const type: DecodableType | undefined = isDecodableType(sniffed.mime) && isAllowedType(sniffed.mime, limits.allowedMimeTypes) ? sniffed.mime : undefined
  if (!type) {
    throw unsupportedTypeError(sniffed.label, describeAccepted(limits.allowedMimeTypes))
  }
  const { derivatives, encoded, exif } =
    type === 'image/heic' || type === 'image/heif'
      ? await ingestHeic(sharp, data, limits, sizes)
      : await ingestWithSharp(sharp, data, type, limits.maxPixels, sizes)
  return {
    ...outputs[encoded.format],
    buffer: encoded.buffer,
    derivatives,
    detectedType: type,
    exif,
    height: encoded.height,
    width: encoded.width,
  }
}
