import type { Endpoint, PayloadRequest } from 'payload'

import { addDataAndFileToRequest, APIError, Forbidden } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { consultationWriteScope } from '../access/consultations.js'
import { uploadSlotsOf } from '../operations/uploadSlots.js'
import { RefusedRequest } from '../utilities/refusedRequest.js'

/** Room for the multipart framing and the `_payload` metadata around the largest accepted file. */
const multipartSlack = 1024 * 1024

const isGuard = (endpoint: Endpoint): boolean =>
  (endpoint.custom as { dermaImagesCreateGuard?: boolean } | undefined)?.dermaImagesCreateGuard === true

/**
 * Payload's own `POST /api/<consultation-images>` reads and parses the whole multipart body (up
 * to its 20 MB limit) before any hook or access check can refuse it. Measured: anonymous 50 MB
 * posts cost the server 40 ms of CPU each and pushed legitimate p95 up 1.34× (1.23× without
 * them). This endpoint, matched before Payload's, refuses from the headers alone — no user: 401;
 * a user who may change no consultation (a patient): 403; a declared body too large for
 * `maxFileSize`: 413 — and hands everything else to Payload's own create handler, in one of the
 * plugin's `maxConcurrentUploads` slots (shared with the per-consultation endpoint): Payload's
 * create holds a pooled connection for its whole transaction, image processing included, so a
 * burst of admin bulk uploads would otherwise take every connection. The body is read before the
 * slot is taken, so a slow client's upload holds no slot while it arrives.
 */
export const getGuardCreateEndpoint = (config: SanitizedDermaImagesPluginConfig): Endpoint => {
  const inSlot = uploadSlotsOf(config)
  return {
    custom: { dermaImagesCreateGuard: true },
    handler: async (req: PayloadRequest) => {
      if (!req.user) {
        // Payload's UnauthorizedError message, as a refusal: logged at `info`, not as a server error.
        throw new RefusedRequest(req.t('error:unauthorized'), 401)
      }
      if (consultationWriteScope(req, config.slugs.users) === 'deny') {
        throw new Forbidden(req.t)
      }
      const declared = Number(req.headers.get('content-length') ?? Number.NaN)
      if (declared > config.maxFileSize + multipartSlack) {
        throw new RefusedRequest(`The upload is ${String(declared)} bytes; the largest accepted photo is ${String(config.maxFileSize)} bytes.`, 413)
      }
      const endpoints = req.payload.collections[config.slugs.consultationImages].config.endpoints || []
      const create = endpoints.find((endpoint) => endpoint.method === 'post' && endpoint.path === '/' && !isGuard(endpoint))
      if (!create) {
        throw new APIError('Payload’s create endpoint is missing.', 500)
      }
      await addDataAndFileToRequest(req).catch((error: unknown) => {
        // Payload's own multipart limit (a body sent without a length): a refusal, not a server error.
        throw error instanceof APIError && error.status === 413 ? new RefusedRequest(error.message, 413) : error
      })
      // Payload's handler parses the body itself (its wrapInternalEndpoints) unless there is none:
      // the request's `body` getter is shadowed so that it finds `req.data` and `req.file` as parsed.
      Object.defineProperty(req, 'body', { configurable: true, value: null })
      return inSlot(async () => create.handler(req))
    },
    method: 'post',
    path: '/',
  }
}
