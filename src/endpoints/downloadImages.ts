import type { Endpoint } from 'payload'

import { UnauthorizedError } from 'payload'

import type { FileStore } from '../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { beginExport, recordExport } from '../audit/endpointAudit.js'
import { findReadableConsultation } from '../operations/findConsultation.js'
import { zipConsultationImages } from '../operations/zipConsultationImages.js'
import { withErrorContract } from './errorContract.js'
import { assertMayExportForPurpose, sendPurposeExport } from './exportImages.js'
import { consultationParams, downloadQuery, maxExportImages } from './schemas.js'

/** A ZIP download: never cached, never sniffed, saved as `filename`. */
export const zipResponse = (body: ReadableStream, filename: string, headers: Record<string, string> = {}): Response =>
  new Response(body, {
    headers: {
      'Cache-Control': 'private, no-store',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Content-Type': 'application/zip',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    },
    status: 200,
  })

/**
 * `GET /api/<consultations>/:id/images/download`: a streamed ZIP of the consultation's originals
 * (stored, not recompressed) with `manifest.json` and `manifest.csv`, for whoever may see it.
 * With `?purpose=teaching|research` (admins and doctors only): the de-identified archive of those
 * of its images whose consent names the purpose. Access is checked before the first byte; a
 * failure after it breaks the archive.
 */
export const getDownloadImagesEndpoint = (config: SanitizedDermaImagesPluginConfig, store: FileStore): Endpoint => ({
  handler: withErrorContract(async (req) => {
    if (!req.user) {
      throw new UnauthorizedError(req.t)
    }
    const { id } = consultationParams.parse(req.routeParams)
    const { purpose } = downloadQuery.parse(req.query)
    beginExport(req, 'zip')
    await findReadableConsultation(req, config, id)
    if (purpose) {
      assertMayExportForPurpose(req, config)
      return sendPurposeExport({ config, limit: maxExportImages, page: 1, purpose, req, store, where: { consultation: { equals: id } } })
    }
    await recordExport(req, config, {
      action: 'zip-export',
      channel: 'zip',
      consultation: String(id),
      documentCollection: config.slugs.consultations,
      documentId: String(id),
    })
    const body = zipConsultationImages({ config, consultationId: id, req, store })
    return zipResponse(body, `consultation-${id}-images.zip`)
  }),
  method: 'get',
  path: '/:id/images/download',
})
