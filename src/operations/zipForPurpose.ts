import type { PayloadRequest, Where } from 'payload'

import path from 'node:path'

import type { ExportPurpose } from '../access/exports.js'
import type { FileStore } from '../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { ArchiveLayout, ImageRow } from './zipArchive.js'

import { consentAllows } from '../access/exports.js'
import { archiveSelect, zipImages } from './zipArchive.js'

/**
 * The de-identified manifest: the file's facts and coded clinical fields only. No image,
 * consultation, patient or lesion ID, no original file name, no description (free text may name
 * someone), no camera, and the capture date as its year only.
 */
export const deidentifiedColumns = ['entry', 'mimeType', 'size', 'sha256', 'width', 'height', 'acquisition', 'bodySite', 'laterality', 'role', 'year'] as const

const code = /^[a-z][a-z0-9-]{0,39}$/

/** A vocabulary code as it is stored, or nothing: the entry names carry no free text. */
const codeOf = (value: unknown): null | string => (typeof value === 'string' && code.test(value) ? value : null)

/** The capture year (the upload's when the photo carried no capture date), in UTC. */
const yearOf = (image: ImageRow): null | number => {
  const at = typeof image.capturedAt === 'string' ? image.capturedAt : image.createdAt
  return at ? new Date(at).getUTCFullYear() : null
}

/** The fields the de-identified layout reads per image. */
const deidentifiedSelect = ['mimeType', 'width', 'height', 'acquisition', 'bodySite', 'laterality', 'role', 'capturedAt', 'createdAt'] as const

/** `images/<sequence>_<body site>.<ext>`: the sequence is the export's own, in image order. */
const deidentifiedLayout = (head: Record<string, unknown>): ArchiveLayout => {
  // One date for every entry: the ZIP headers must not carry the upload times.
  const exportedAt = new Date()
  return {
    columns: deidentifiedColumns,
    entryDate: () => exportedAt,
    entryName: (image, position) => `images/${position}_${codeOf(image.bodySite) ?? 'unspecified'}${path.extname(image.filename ?? '')}`,
    head: { ...head, deidentified: true, generatedAt: exportedAt.toISOString(), version: 1 },
    row: (image, { entry, sha256, size }) => ({
      acquisition: codeOf(image.acquisition),
      bodySite: codeOf(image.bodySite),
      entry,
      height: typeof image.height === 'number' ? image.height : null,
      laterality: codeOf(image.laterality),
      mimeType: typeof image.mimeType === 'string' ? image.mimeType : null,
      role: codeOf(image.role),
      sha256,
      size,
      width: typeof image.width === 'number' ? image.width : null,
      year: yearOf(image),
    }),
    select: deidentifiedSelect,
  }
}

export type PurposeExport = {
  body: ReadableStream<Uint8Array>
  /** The images of this page, with their consultations (for the audit trail). */
  images: { consultation?: string; id: string }[]
  /** Every image the filters and consent match, across pages. */
  totalDocs: number
}

export type ZipForPurposeArgs = {
  config: SanitizedDermaImagesPluginConfig
  /** At most this many images per archive. */
  limit: number
  /** 1-based; page 2 of 100 holds images 101–200 in ID order. */
  page: number
  purpose: ExportPurpose
  /** The request of an admin or a doctor; its read access filters the images. */
  req: PayloadRequest
  store: FileStore
  /** Which images (body site, acquisition, dates, consultation), before consent. */
  where: Where
}

/**
 * A de-identified ZIP of the readable images matching `where` whose consent names `purpose`, as a
 * snapshot: one read, under the user's access and the consent, decides the page's images and all
 * that the archive says of them, before the first byte (so the export is audited image by image);
 * the stream then sends exactly those rows, the stored originals (which ingest re-encoded without
 * EXIF, GPS or serials) under neutral names, and reads no image again. A consent withdrawn once
 * the export has started applies from the next export on, not to this one: what the audit trail
 * names is what the archive holds.
 */
export const zipForPurpose = async ({ config, limit, page, purpose, req, store, where }: ZipForPurposeArgs): Promise<PurposeExport> => {
  const found = await req.payload.find({
    collection: config.slugs.consultationImages,
    depth: 0,
    limit,
    overrideAccess: false,
    page,
    req,
    select: { ...archiveSelect({ select: deidentifiedSelect }), consultation: true } as never,
    sort: 'id',
    where: { and: [where, consentAllows(purpose)] },
  })
  const rows = found.docs as unknown as (ImageRow & { consultation?: unknown })[]
  const images = rows.map((row) => ({ consultation: row.consultation == null ? undefined : String(row.consultation as number | string), id: String(row.id) }))
  const body = zipImages({
    config,
    layout: deidentifiedLayout({ imageCountTotal: found.totalDocs, page, purpose }),
    logContext: { purpose },
    positionOffset: (page - 1) * limit,
    req,
    source: { rows },
    store,
  })
  return { body, images, totalDocs: found.totalDocs }
}
