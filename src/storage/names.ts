import type { ImageSize } from 'payload'

import { randomUUID } from 'node:crypto'
import sanitizeFilename from 'sanitize-filename'

/**
 * Every stored name is made by the server: a UTC timestamp, a UUID, Payload's `-WxH` suffix for a
 * derivative, and the extension of the format the server encoded. Nothing a client sends ever
 * reaches a disk path, and two uploads can never collide.
 */
const storedNamePattern =
  /^\d{8}T\d{6}Z_[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}(?:-\d+x\d+)?\.(?:jpg|png|webp)$/

export const isStoredFilename = (filename: string): boolean => storedNamePattern.test(filename)

/** `{timestamp}_{uuid}`, e.g. `20261124T052501Z_4f0c…`: unique, sortable, never the user's. */
export const makeStoredBasename = (date = new Date()): string =>
  `${date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}_${randomUUID()}`

/** The user's file name, kept as metadata only: no path, no control characters, 200 chars max. */
export const toOriginalFilename = (name: string): string =>
  sanitizeFilename(name.normalize('NFC').split(/[\\/]/).pop() ?? '', { replacement: '_' })
    .trim()
    .slice(0, 200) || 'image'

/**
 * A derivative's name, as Payload's `imageSizes` name it: the stored original's name with
 * `-{width}x{height}` and the derivative's extension, or the size's own `generateImageName`.
 */
export const toDerivativeFilename = (
  original: string,
  derivative: { extension: string; height: number; name: string; width: number },
  generateImageName?: ImageSize['generateImageName'],
): string => {
  const stem = sanitizeFilename(original.slice(0, original.lastIndexOf('.')) || original)
  const { extension, height, name, width } = derivative
  return generateImageName
    ? generateImageName({ extension, height, originalName: stem, sizeName: name, width })
    : `${stem}-${width}x${height}.${extension}`
}
