import type { Endpoint, PayloadRequest } from 'payload'

import { UnauthorizedError } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { beginExport, recordExport } from '../audit/endpointAudit.js'
import { exportConsultationBundle, exportImageAsMedia } from '../operations/exportFhir.js'
import { withErrorContract } from './errorContract.js'
import { consultationParams, imageParams } from './schemas.js'

/** FHIR's JSON type, with the version parameter of R4 (http://hl7.org/fhir/R4/http.html#version-parameter). */
export const fhirContentType = 'application/fhir+json; fhirVersion=4.0'

const fhirResponse = (resource: object): Response =>
  new Response(JSON.stringify(resource), {
    headers: { 'Cache-Control': 'private, no-store', 'Content-Type': fhirContentType, 'X-Content-Type-Options': 'nosniff' },
    status: 200,
  })

type IdParams = typeof consultationParams | typeof imageParams

/** A GET `/:id/fhir` for logged-in users: the ID checked by `params`, the resource made by `exportResource`. */
const fhirEndpoint = (
  params: IdParams,
  exportResource: (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig, id: number) => Promise<object>,
  config: SanitizedDermaImagesPluginConfig,
  documentCollection: string,
): Endpoint => ({
  handler: withErrorContract(async (req) => {
    if (!req.user) {
      throw new UnauthorizedError(req.t)
    }
    const { id } = params.parse(req.routeParams)
    beginExport(req, 'fhir')
    const resource = await exportResource(req, config, id)
    const consultation = documentCollection === config.slugs.consultations ? String(id) : undefined
    await recordExport(req, config, { action: 'fhir-export', channel: 'fhir', consultation, documentCollection, documentId: String(id) })
    return fhirResponse(resource)
  }),
  method: 'get',
  path: '/:id/fhir',
})

/**
 * `GET /api/<consultation-images>/:id/fhir`: the image as a FHIR R4 Media resource, for whoever
 * may see it (404 for one that does not exist or is not theirs).
 */
export const getImageFhirEndpoint = (config: SanitizedDermaImagesPluginConfig): Endpoint =>
  fhirEndpoint(imageParams, exportImageAsMedia, config, config.slugs.consultationImages)

/**
 * `GET /api/<consultations>/:id/fhir`: the consultation as a FHIR R4 Bundle (`collection`) of its
 * Encounter and one Media per image, for whoever may see it.
 */
export const getConsultationFhirEndpoint = (config: SanitizedDermaImagesPluginConfig): Endpoint =>
  fhirEndpoint(consultationParams, exportConsultationBundle, config, config.slugs.consultations)
