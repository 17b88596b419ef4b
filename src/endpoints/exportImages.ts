import type { Endpoint, PayloadRequest, Where } from 'payload'

import { Forbidden, UnauthorizedError } from 'payload'

import type { FileStore } from '../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { mayExportForPurpose } from '../access/exports.js'
import { beginExport, recordExport } from '../audit/endpointAudit.js'
import { zipForPurpose, type ZipForPurposeArgs } from '../operations/zipForPurpose.js'
import { zipResponse } from './downloadImages.js'
import { withErrorContract } from './errorContract.js'
import { type ExportQuery, exportQuery } from './schemas.js'

/** Refuses anyone but admins and doctors, before any image is read. */
export const assertMayExportForPurpose = (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig): void => {
  if (!req.user) {
    throw new UnauthorizedError(req.t)
  }
  if (!mayExportForPurpose(req, config.slugs.users)) {
    throw new Forbidden(req.t)
  }
}

/**
 * A de-identified teaching or research ZIP as a response: one `zip-export` event per image (its
 * variant the purpose, so each patient can see their photo went into it) is written before the
 * first byte, fail closed (503) like the consultation ZIP. The events name the export's snapshot
 * (`zipForPurpose`): exactly the images the archive then holds, whatever changes while it streams.
 */
export const sendPurposeExport = async ({ config, limit, page, purpose, req, store, where }: ZipForPurposeArgs): Promise<Response> => {
  beginExport(req, 'zip')
  const { body, images, totalDocs } = await zipForPurpose({ config, limit, page, purpose, req, store, where })
  const events = images.map(({ consultation, id }) => ({
    action: 'zip-export' as const,
    channel: 'zip' as const,
    consultation,
    documentCollection: config.slugs.consultationImages,
    documentId: id,
    variant: purpose,
  }))
  await recordExport(req, config, events.length > 0 ? events : [
    // Nothing leaves but the empty manifests; the request is still on record.
    { action: 'zip-export', channel: 'zip', documentCollection: config.slugs.consultationImages, variant: purpose },
  ])
  return zipResponse(body, `${purpose}-images${page > 1 ? `-page-${page}` : ''}.zip`, { 'X-Total-Count': String(totalDocs) })
}

const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString()

/** Capture days `from`–`to` (inclusive, UTC); the upload day for photos without a capture date. */
const daysWhere = (from?: string, to?: string): Where[] => {
  if (from === undefined && to === undefined) {
    return []
  }
  const within = (field: string): Where => ({
    and: [
      ...(from === undefined ? [] : [{ [field]: { greater_than_equal: `${from}T00:00:00.000Z` } }]),
      ...(to === undefined ? [] : [{ [field]: { less_than: nextDay(to) } }]),
    ],
  })
  return [{ or: [within('capturedAt'), { and: [{ capturedAt: { exists: false } }, within('createdAt')] }] }]
}

/** The filters of the cross-consultation export as a query (consent and access come on top). */
export const exportWhere = ({ acquisition, bodySite, from, laterality, to }: ExportQuery): Where => ({
  and: [
    ...(acquisition === undefined ? [] : [{ acquisition: { equals: acquisition } }]),
    ...(bodySite === undefined ? [] : [{ bodySite: { equals: bodySite } }]),
    ...(laterality === undefined ? [] : [{ laterality: { equals: laterality } }]),
    ...daysWhere(from, to),
  ],
})

/**
 * `GET /api/<consultation-images>/export.zip?purpose=teaching|research&…`: a de-identified ZIP,
 * across consultations, of the images the admin or doctor may read whose consent names the
 * purpose, filtered by body site, acquisition, laterality and capture days; at most
 * `maxExportImages` per archive (`page` for the next ones, `X-Total-Count` says how many match).
 */
export const getExportImagesEndpoint = (config: SanitizedDermaImagesPluginConfig, store: FileStore): Endpoint => ({
  handler: withErrorContract(async (req) => {
    assertMayExportForPurpose(req, config)
    // Payload's own auth look-up writes `depth` into the query: not the client's.
    const { depth: _depth, ...params } = req.query
    const query = exportQuery.parse(params)
    return sendPurposeExport({ config, limit: query.limit, page: query.page, purpose: query.purpose, req, store, where: exportWhere(query) })
  }),
  method: 'get',
  path: '/export.zip',
})
