import type { Endpoint } from 'payload'

import { addDataAndFileToRequest, UnauthorizedError } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { withDermaContext } from '../hooks/context.js'
import { assertMayChangeConsultation, findReadableConsultation } from '../operations/findConsultation.js'
import { findIdempotentImage, isIdempotencyConflict, readIdempotency } from '../operations/idempotency.js'
import { uploadSlotsOf } from '../operations/uploadSlots.js'
import { RefusedRequest } from '../utilities/refusedRequest.js'
import { withErrorContract } from './errorContract.js'
import { clinicalMetadata, consultationParams } from './schemas.js'

/**
 * `POST /api/<consultations>/:id/images`: one photo (`file`) and its clinical metadata (`_payload`,
 * JSON) for a consultation the user may change. Answers 201 with the stored image and its URLs.
 * Several files in one request are refused whole: nothing is stored. With an `Idempotency-Key`
 * header a retried upload answers 200 with the image the first one stored, never a second image.
 */
export const getUploadImageEndpoint = (config: SanitizedDermaImagesPluginConfig): Endpoint => {
  const inSlot = uploadSlotsOf(config)
  return {
  handler: withErrorContract(async (req) => {
    if (!req.user) {
      throw new UnauthorizedError(req.t)
    }
    const { id } = consultationParams.parse(req.routeParams)
    const consultation = await findReadableConsultation(req, config, id)
    await assertMayChangeConsultation(req, config, consultation)
    if (!req.headers.get('content-type')?.startsWith('multipart/form-data')) {
      throw new RefusedRequest('Send the photo as multipart/form-data with a "file" field.', 415)
    }
    await addDataAndFileToRequest(req)
    const files = Object.values(req.files ?? {}).flat()
    if (files.length !== 1 || !req.file) {
      throw new RefusedRequest(files.length > 1 ? 'Send exactly one file per request.' : 'The "file" field with the photo is missing.', 400)
    }
    const metadata = clinicalMetadata.parse(req.data ?? {})
    const idempotency = readIdempotency(req, { consultation: id, file: req.file, metadata })
    const replay = async () => {
      const doc = idempotency && (await findIdempotentImage(req, config, idempotency))
      return doc && Response.json({ doc, message: 'Image already stored with this Idempotency-Key.' }, { headers: { 'Cache-Control': 'no-store' }, status: 200 })
    }
    const earlier = await replay()
    if (earlier) {
      return earlier
    }
    req.context = withDermaContext(req.context, { idempotency })
    try {
      const file = req.file
      const doc = await inSlot(() =>
        req.payload.create({
          collection: config.slugs.consultationImages,
          // The slug is the host's (only known at run time); the data fits the collection the plugin built.
          data: { ...metadata, consultation: id } as never,
          depth: 0,
          file,
          overrideAccess: false,
          req,
        }),
      )
      return Response.json({ doc, message: 'Image stored.' }, { headers: { 'Cache-Control': 'no-store' }, status: 201 })
    } catch (error) {
      // A concurrent duplicate committed first: this one rolled back (its files are gone).
      const winner = isIdempotencyConflict(error) ? await replay() : undefined
      if (winner) {
        return winner
      }
      throw error
    }
  }),
  method: 'post',
  path: '/:id/images',
}
}
