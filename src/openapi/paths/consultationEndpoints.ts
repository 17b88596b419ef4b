import type { DocumentContext, Paths } from '../types.js'

import { clinicalMetadata, consultationParams, imageListQuery } from '../../endpoints/schemas.js'
import { errorResponses, jsonResponse, paginated, withMessage } from '../components.js'
import { fromZod, zodParameters } from '../jsonSchema.js'
import { multipartBody, uploadErrors } from './upload.js'

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
          'More than one file is refused whole: nothing is stored.',
        operationId: 'uploadConsultationImage',
        parameters: idParameters,
        requestBody: multipartBody(ctx.config, fromZod(clinicalMetadata), ['file']),
        responses: {
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
          '`manifest.csv`, for whoever may see the consultation.',
        operationId: 'downloadConsultationImages',
        parameters: idParameters,
        responses: {
          '200': {
            content: { 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } } },
            description: 'The archive (`Content-Disposition: attachment`).',
          },
          ...errorResponses(400, 401, 404),
        },
        summary: 'Download a consultation’s photos as a ZIP',
        tags,
      },
    },
  }
}
