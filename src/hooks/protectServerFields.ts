import type { CollectionBeforeChangeHook } from 'payload'

import type { ConsultationImageDoc } from '../types.js'

import { serverComputedFields } from '../collections/ConsultationImages/fields.js'
import { getDermaContext } from './context.js'

/**
 * Server-computed fields come from the ingested file and nowhere else: with a new file they are
 * what ingest read (the sanitised original name, EXIF capture date, offset and camera); without
 * one, whatever a client sent is replaced by the stored values.
 */
export const protectServerFields: CollectionBeforeChangeHook<ConsultationImageDoc> = ({ data, originalDoc, req }) => {
  if (!req.file) {
    const kept = Object.fromEntries(serverComputedFields.map((name) => [name, originalDoc?.[name] ?? null]))
    return { ...data, ...kept }
  }
  const exif = getDermaContext(req.context).ingestedExif ?? {}
  return {
    ...data,
    cameraModel: exif.cameraModel ?? null,
    capturedAt: exif.capturedAt ?? null,
    capturedAtOffset: exif.capturedAtOffset ?? null,
    originalFilename: data.originalFilename ?? null,
  }
}
