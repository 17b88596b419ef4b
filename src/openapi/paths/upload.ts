import type { SanitizedDermaImagesPluginConfig } from '../../types.js'
import type { JsonSchema, Operation } from '../types.js'

import { errorResponses } from '../components.js'

/** The statuses only an upload can add: too large, not an image, too slow to decode, disk full. */
export const uploadErrors = () => errorResponses(413, 415, 422, 507)

/**
 * A `multipart/form-data` body with one photo in `file` and the metadata as JSON in `_payload`,
 * as Payload's own upload forms send it.
 */
export const multipartBody = (
  { allowedMimeTypes, maxFileSize }: SanitizedDermaImagesPluginConfig,
  metadata: JsonSchema,
  required: ('_payload' | 'file')[],
): NonNullable<Operation['requestBody']> => ({
  content: {
    'multipart/form-data': {
      encoding: { _payload: { contentType: 'application/json' }, file: { contentType: allowedMimeTypes.join(', ') } },
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          _payload: {
            type: 'string',
            contentMediaType: 'application/json',
            contentSchema: metadata,
            description: 'The metadata, as a JSON string.',
          },
          file: {
            type: 'string',
            contentMediaType: 'application/octet-stream',
            description:
              `Exactly one photo, at most ${String(maxFileSize)} bytes. Its type is recognised from its bytes; ` +
              'it is re-encoded upright with every metadata stripped but its colour profile (the capture date ' +
              'and camera are kept as fields), and stored under a name the server makes.',
          },
        },
        required,
      },
    },
  },
  required: true,
})
