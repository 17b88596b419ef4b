import type { Endpoint, PayloadHandler, PayloadRequest } from 'payload'

import { APIError, UnauthorizedError } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { ErrorItem } from './errorContract.js'

import { beginExport, recordExport } from '../audit/endpointAudit.js'
import { toOperationOutcome } from '../fhir/operationOutcome.js'
import { exportConsultationBundle, exportImageAsMedia } from '../operations/exportFhir.js'
import { toErrorResponse } from './errorContract.js'
import { consultationParams, imageParams } from './schemas.js'

/** FHIR's JSON type, with the version parameter of R4 (http://hl7.org/fhir/R4/http.html#version-parameter). */
export const fhirContentType = 'application/fhir+json; fhirVersion=4.0'

const fhirResponse = (resource: object, status = 200): Response =>
  new Response(JSON.stringify(resource), {
    headers: {
      'Cache-Control': status === 200 ? 'private, no-store' : 'no-store',
      'Content-Type': fhirContentType,
      'X-Content-Type-Options': 'nosniff',
    },
    status,
  })

/** A FHIR error answer: an R4 OperationOutcome with the error contract's status and messages. */
export const fhirErrorResponse = (status: number, errors: ErrorItem[]): Response => fhirResponse(toOperationOutcome(status, errors), status)

/**
 * Like `withErrorContract` (same statuses, messages and logging: it is reused), but answered as
 * FHIR clients expect: `application/fhir+json` with an OperationOutcome. A 503 keeps its own
 * message (the plugin's, e.g. an export whose audit event could not be written): it says to retry.
 */
const withFhirErrors =
  (handler: PayloadHandler): PayloadHandler =>
  async (req) => {
    try {
      return await handler(req)
    } catch (error) {
      const contract = toErrorResponse(error, req)
      const { errors } = (await contract.json()) as { errors: ErrorItem[] }
      const messages = error instanceof APIError && error.status === 503 ? [{ message: error.message }] : errors
      return fhirErrorResponse(contract.status, messages)
    }
  }

const allMethods = ['delete', 'patch', 'post', 'put'] as const

/** 405 (with `Allow: GET`) as an OperationOutcome for the other methods on `/:id/fhir`. */
export const getFhirMethodNotAllowedEndpoints = (): Endpoint[] =>
  allMethods.map((method) => ({
    handler: () => {
      const response = fhirErrorResponse(405, [{ message: 'Use GET on this path.' }])
      response.headers.set('Allow', 'GET')
      return response
    },
    method,
    path: '/:id/fhir',
  }))

type IdParams = typeof consultationParams | typeof imageParams

/** A GET `/:id/fhir` for logged-in users: the ID checked by `params`, the resource made by `exportResource`. */
const fhirEndpoint = (
  params: IdParams,
  exportResource: (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig, id: number) => Promise<object>,
  config: SanitizedDermaImagesPluginConfig,
  documentCollection: string,
): Endpoint => ({
  handler: withFhirErrors(async (req) => {
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
