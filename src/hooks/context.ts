import type { RequestContext } from 'payload'

import type { ClinicalExif, DerivedSize } from '../image/index.js'
import type { Idempotency } from '../operations/idempotency.js'

/** The plugin's namespaced `req.context` entry, used to guard re-entry between its own hooks. */
export type DermaImagesContext = {
  /** The clinical EXIF of the file ingested by this request, read before the metadata was stripped. */
  ingestedExif?: ClinicalExif
  /** The upload's `Idempotency-Key` digests, stored with its row (see operations/idempotency.ts). */
  idempotency?: Idempotency
  /** The derivatives made by ingest for this request's file, one per configured image size. */
  ingestedSizes?: DerivedSize[]
  /** Set while a consultation is being deleted: its images go with it, no flag upkeep needed. */
  deletingConsultation?: number | string
}

export const getDermaContext = (context: RequestContext): DermaImagesContext =>
  (context.dermaImages as DermaImagesContext | undefined) ?? {}

export const withDermaContext = (
  context: RequestContext,
  patch: DermaImagesContext,
): RequestContext => ({ ...context, dermaImages: { ...getDermaContext(context), ...patch } })
