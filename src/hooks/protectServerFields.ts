import type { CollectionBeforeChangeHook } from 'payload'

import type { ConsultationImageDoc } from '../types.js'

import { serverComputedFields } from '../collections/ConsultationImages/fields.js'
import { readClinicalExif } from '../image/readExif.js'

/**
 * Server-computed fields come from the file and nowhere else: with a new file they are read from
 * it (the sanitised original name, EXIF capture date and camera); without one, whatever a client
 * sent is replaced by the stored values.
 */
export const protectServerFields: CollectionBeforeChangeHook<ConsultationImageDoc> = async ({ data, originalDoc, req }) => {
  const file = req.file
  if (!file) {
    const kept = Object.fromEntries(serverComputedFields.map((name) => [name, originalDoc?.[name] ?? null]))
    return { ...data, ...kept }
  }
  const source = file.data.length > 0 ? file.data : file.tempFilePath
  const exif = source ? await readClinicalExif(source) : {}
  return {
    ...data,
    cameraModel: exif.cameraModel ?? null,
    capturedAt: exif.capturedAt ?? null,
    originalFilename: data.originalFilename ?? null,
  }
}
