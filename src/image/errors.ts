/** HTTP statuses an ingest failure can carry; each maps to a clear, user-facing message. */
export type IngestErrorStatus = 400 | 413 | 415 | 422

/**
 * A rejected upload. `message` is shown to the user as is: it never contains patient data, file
 * names or EXIF values. `cause` (when set) is the internal error, for server logs only.
 */
export class IngestError extends Error {
  readonly status: IngestErrorStatus

  constructor(status: IngestErrorStatus, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'IngestError'
    this.status = status
  }
}

const KB = 1024
const MB = 1024 * 1024

/** "2 MB", "1.5 MB", "17 KB". */
const formatBytes = (bytes: number): string => {
  if (bytes < MB) {
    return `${Math.max(1, Math.round(bytes / KB))} KB`
  }
  const value = bytes / MB
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} MB`
}

/** "40 megapixels", "12.5 megapixels", "9,600 pixels". */
const formatPixels = (pixels: number): string =>
  pixels >= 1_000_000 ? `${Math.round((pixels / 1_000_000) * 10) / 10} megapixels` : `${pixels.toLocaleString('en-US')} pixels`

export const emptyFileError = (): IngestError => new IngestError(400, 'The file is empty.')

export const fileTooLargeError = (size: number, maxFileSize: number): IngestError =>
  new IngestError(413, `This file is too large (${formatBytes(size)}); the maximum is ${formatBytes(maxFileSize)}.`)

export const tooManyPixelsError = (maxPixels: number, dimensions?: { height: number; width: number }): IngestError =>
  new IngestError(
    413,
    dimensions
      ? `This image is too large (${dimensions.width} × ${dimensions.height} pixels); the maximum is ${formatPixels(maxPixels)}.`
      : `This image is too large: it has more than ${formatPixels(maxPixels)}, the maximum.`,
  )

export const damagedImageError = (cause?: unknown): IngestError =>
  new IngestError(400, 'This image is damaged or incomplete and could not be read.', { cause })

export const unsupportedTypeError = (received: string, accepted: string): IngestError =>
  new IngestError(415, `This file is ${received}; accepted: ${accepted}.`)
