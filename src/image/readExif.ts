import exifr from 'exifr'

export type ClinicalExif = {
  cameraModel?: string
  capturedAt?: string
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

/**
 * Reads only what the clinic needs from EXIF: when the photo was taken and with which camera.
 * GPS, serial numbers and everything else are never even parsed.
 */
export const readClinicalExif = async (input: Buffer | string): Promise<ClinicalExif> => {
  try {
    const tags = (await exifr.parse(input, {
      gps: false,
      icc: false,
      interop: false,
      iptc: false,
      jfif: false,
      pick: ['DateTimeOriginal', 'CreateDate', 'Make', 'Model'],
      reviveValues: true,
      tiff: true,
      xmp: false,
    })) as Record<string, unknown> | undefined
    const date = tags?.DateTimeOriginal ?? tags?.CreateDate
    const capturedAt = date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined
    return { cameraModel: formatCameraModel(clean(tags?.Make), clean(tags?.Model)), capturedAt }
  } catch {
    // No or unreadable EXIF is normal (screenshots, exports): the fields stay empty.
    return {}
  }
}
