import type { DocumentContext, Parameter, Paths } from '../types.js'

import { clinicalMetadata, consultationParams, imageListQuery } from '../../endpoints/schemas.js'
import { idempotencyHeader } from '../../operations/idempotency.js'
import { errorResponses, jsonResponse, paginated, withMessage } from '../components.js'
import { fromZod, zodParameters } from '../jsonSchema.js'
import { downloadPurposeParameters } from './exports.js'
import { multipartBody, uploadErrors } from './upload.js'

/** The IETF httpapi idempotency-key draft's request header, on the upload. */
const idempotencyKeyParameter: Parameter = {
  description:
    'Optional; a new random value (a UUID) per photo, sent again unchanged with every retry of that upload. One key ' +
    'stores at most one image: a retry, even concurrent, answers 200 with the image already stored; the same key with ' +
    'another photo or other metadata answers 422. Keys are per user and kept only as a SHA-256 digest.',
  in: 'header',
  name: idempotencyHeader,
  required: false,
  schema: { type: 'string', maxLength: 255, minLength: 1, pattern: '^[\\x20-\\x7e]+$' },
}

/** The plugin's endpoints under `/<consultations>/{id}/images` (`src/endpoints/`). */
export const consultationEndpointPaths = (ctx: DocumentContext): Paths => {
  const { consultationImages, consultations } = ctx.config.slugs
  const image = ctx.collection(consultationImages)
  const idParameters = zodParameters(consultationParams, 'path', { id: 'The consultation’s ID.' })
  const tags = [ctx.collection(consultations).name]
  return {
    [`/${consultations}/{id}/images`]: {
      get: {
        description:
          'Primary image first, then the newest, with the URLs of the original and its derivatives; for whoever ' +
          'may see the consultation. An unknown query parameter answers 400.',
        operationId: 'listConsultationImages',
        parameters: [
          ...idParameters,
          ...zodParameters(imageListQuery, 'query', { limit: 'Images per page.', page: 'The page, from 1.' }),
        ],
        responses: {
          '200': jsonResponse('A page of the consultation’s images.', paginated(image.document)),
          ...errorResponses(400, 401, 404),
        },
        summary: 'List a consultation’s images',
        tags,
      },
      post: {
        description:
          'One photo for a consultation the user may change (admins any, a doctor their own; a patient gets 403). ' +
          'More than one file is refused whole: nothing is stored. Send an `Idempotency-Key` to retry safely.',
        operationId: 'uploadConsultationImage',
        parameters: [...idParameters, idempotencyKeyParameter],
        requestBody: multipartBody(ctx.config, fromZod(clinicalMetadata), ['file']),
        responses: {
          '200': jsonResponse(
            'A retry: an upload with this `Idempotency-Key` (and the same request) already stored this image.',
            withMessage(image.document),
          ),
          '201': jsonResponse('Stored, with its derivatives and their URLs.', withMessage(image.document)),
          ...errorResponses(400, 401, 403, 404),
          ...uploadErrors(),
        },
        summary: 'Upload a photo to a consultation',
        tags,
      },
    },
    [`/${consultations}/{id}/images/download`]: {
      get: {
        description:
          'A streamed ZIP of the consultation’s originals (stored, not recompressed) with `manifest.json` and ' +
          '`manifest.csv`, for whoever may see the consultation. With `purpose`, the de-identified teaching or ' +
          'research archive of those of its images whose consent names it (admins and doctors).',
        operationId: 'downloadConsultationImages',
        parameters: [...idParameters, ...downloadPurposeParameters()],
        responses: {
          '200': {
            content: { 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } } },
            description: 'The archive (`Content-Disposition: attachment`).',
          },
          ...errorResponses(400, 401, 403, 404),
        },
        summary: 'Download a consultation’s photos as a ZIP',
        tags,
      },
    },
  }
}
