import type { CollectionBeforeChangeHook } from 'payload'

import type { ConsultationImageDoc } from '../types.js'

import { serverComputedFields } from '../collections/ConsultationImages/fields.js'

/**
 * Payload's upload fields describe the stored file. Without a new file a client must not change
 * them: a row pointing at another row's `filename` would be served that other patient's photo.
 */
const fileFields = ['filename', 'mimeType', 'filesize', 'width', 'height', 'sizes'] as const
import { getDermaContext } from './context.js'

/**
 * Server-computed fields come from the ingested file and nowhere else: with a new file they are
 * what ingest read (the sanitised original name, EXIF capture date, offset and camera); without
 * one, whatever a client sent for them or for the file's own fields is replaced by the stored values.
 */
export const protectServerFields: CollectionBeforeChangeHook<ConsultationImageDoc> = ({ data, operation, originalDoc, req }) => {
  if (!req.file) {
    const kept = Object.fromEntries(
      [...serverComputedFields, ...fileFields].map((name) => [name, (originalDoc as Record<string, unknown> | undefined)?.[name] ?? null]),
    )
    return { ...data, ...kept }
  }
  const { idempotency, ingestedExif: exif = {} } = getDermaContext(req.context)
  const stored = originalDoc as Record<string, unknown> | undefined
  return {
    ...data,
    cameraModel: exif.cameraModel ?? null,
    capturedAt: exif.capturedAt ?? null,
    capturedAtOffset: exif.capturedAtOffset ?? null,
    // A replaced file keeps the key of the upload that created the row.
    idempotencyFingerprint: operation === 'create' ? (idempotency?.fingerprint ?? null) : (stored?.idempotencyFingerprint ?? null),
    idempotencyKey: operation === 'create' ? (idempotency?.key ?? null) : (stored?.idempotencyKey ?? null),
    originalFilename: data.originalFilename ?? null,
  }
}
