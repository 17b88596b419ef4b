import type { PayloadRequest } from 'payload'

import path from 'node:path'

import type { FileStore } from '../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { ArchiveLayout, ImageRow } from './zipArchive.js'
import type { ManifestRow } from './zipManifest.js'

import { zipImages } from './zipArchive.js'
import { manifestColumns } from './zipManifest.js'

export type { ManifestRow } from './zipManifest.js'
export { manifestColumns } from './zipManifest.js'

/** Server-made parts only: position, ID, acquisition type and the stored file's extension. */
const entryName = (image: ImageRow, position: string): string => {
  const kind = /^[a-z][a-z0-9-]{0,39}$/.test(image.acquisition ?? '') ? image.acquisition : 'image'
  return `images/${position}_${String(image.id).replace(/[^\w-]/g, '')}_${kind ?? 'image'}${path.extname(image.filename ?? '')}`
}

/** The treating team's archive: the consultation's images with their IDs, dates and clinical fields. */
const consultationLayout = (consultation: number): ArchiveLayout => ({
  columns: manifestColumns,
  entryDate: (image) => (image.createdAt ? new Date(image.createdAt) : new Date()),
  entryName,
  head: { consultation, generatedAt: new Date().toISOString(), version: 1 },
  row: (image, file) => {
    const values: Record<string, unknown> = { ...image, ...file }
    return Object.fromEntries(manifestColumns.map((column) => [column, values[column] ?? null])) as ManifestRow
  },
  select: manifestColumns.filter((column) => !['entry', 'sha256', 'size'].includes(column)),
})

export type ZipConsultationImagesArgs = {
  config: SanitizedDermaImagesPluginConfig
  consultationId: number
  /** Image rows read per query. @default 100 */
  pageSize?: number
  /** The request of a user who may read the consultation; its access rules filter the images. */
  req: PayloadRequest
  store: FileStore
}

/**
 * A ZIP of a consultation's images (see `zipImages`): originals STOREd byte for byte under
 * server-made names, then `manifest.json` and `manifest.csv`.
 */
export const zipConsultationImages = ({ config, consultationId, pageSize, req, store }: ZipConsultationImagesArgs): ReadableStream<Uint8Array> =>
  zipImages({
    config,
    layout: consultationLayout(consultationId),
    logContext: { consultation: consultationId },
    pageSize,
    req,
    source: { where: { consultation: { equals: consultationId } } },
    store,
  })
