import type { SanitizedConfig } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { JsonSchema, OpenApiDocument, Reference, ResponseObject } from './types.js'

/** The error contract (`src/endpoints/errorContract.ts`), which Payload's own routes share. */
export const errorsSchema: JsonSchema = {
  type: 'object',
  description: 'Every problem with the request. Payload’s own routes may add `name` and `data` to an item.',
  properties: {
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          message: { type: 'string', description: 'Safe to show to the user; never contains patient data.' },
          path: { type: 'string', description: 'The field at fault, for invalid input (`limit`, `file`, `bodySite`).' },
        },
        required: ['message'],
      },
      minItems: 1,
    },
  },
  required: ['errors'],
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 413 | 415 | 422 | 507

const errorNames: Record<ErrorStatus, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  413: 'ContentTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableContent',
  507: 'InsufficientStorage',
}

const megabytes = (bytes: number): string => `${String(Math.round((bytes / 1024 / 1024) * 10) / 10)} MB`

const errorDescriptions = ({ allowedMimeTypes, maxFileSize, maxPixels }: SanitizedDermaImagesPluginConfig): Record<ErrorStatus, string> => ({
  400: 'Invalid input: every bad field is listed with its `path`. An empty, damaged or incomplete image also answers 400.',
  401: 'Not logged in: send `Authorization: JWT <token>` or the `payload-token` cookie.',
  403: 'Logged in, but not allowed to do this to a document you may see (a patient changing their own consultation).',
  404: 'Not found, or not yours: a document, file or consultation of another patient answers exactly like a missing one.',
  413: `The file is larger than ${megabytes(maxFileSize)} (${String(maxFileSize)} bytes), or the image has more than ${String(maxPixels)} pixels (read from its header, before decoding).`,
  415: `Not an accepted image (recognised by its bytes, not its name or declared type): accepted ${allowedMimeTypes.join(', ')}; or an image sent with another image type; or a body that is not multipart/form-data.`,
  422: 'The image could not be decoded in time (a HEIC decode that ran too long), or the upload’s `Idempotency-Key` was already used for a different request; nothing was stored.',
  507: 'The server has no room left to store the image; nothing was stored.',
})

/** `{ "<status>": { $ref } }` for each error status an operation can answer. */
export const errorResponses = (...statuses: ErrorStatus[]): Record<string, Reference> =>
  Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/${errorNames[status]}` }]))

const buildErrorResponses = (config: SanitizedDermaImagesPluginConfig): Record<string, ResponseObject> => {
  const descriptions = errorDescriptions(config)
  return Object.fromEntries(
    (Object.keys(errorNames) as unknown as ErrorStatus[]).map((status) => [
      errorNames[status],
      {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } },
        description: descriptions[status],
      },
    ]),
  )
}

/** The bearer token (`JWT <token>`, and `API-Key` where a collection allows keys) and Payload's cookie. */
const buildSecuritySchemes = (payloadConfig: SanitizedConfig): OpenApiDocument['components']['securitySchemes'] => {
  const apiKeyCollections = payloadConfig.collections.filter((collection) => collection.auth.useAPIKey).map((collection) => collection.slug)
  const apiKeys = apiKeyCollections.map((slug) => ` or \`${slug} API-Key <key>\``).join('')
  return {
    cookie: {
      type: 'apiKey',
      description: 'The session cookie Payload sets on login (the admin panel’s), sent by browsers on same-site requests.',
      in: 'cookie',
      name: `${payloadConfig.cookiePrefix}-token`,
    },
    jwt: {
      type: 'apiKey',
      description: `\`Authorization: JWT <token>\`${apiKeys}, with the token returned by login.`,
      in: 'header',
      name: 'Authorization',
    },
  }
}

export const buildComponents = (
  payloadConfig: SanitizedConfig,
  config: SanitizedDermaImagesPluginConfig,
  schemas: Record<string, JsonSchema>,
): OpenApiDocument['components'] => ({
  responses: buildErrorResponses(config),
  schemas: { ...schemas, Errors: errorsSchema },
  securitySchemes: buildSecuritySchemes(payloadConfig),
})

/** Payload's paginated list (`find`), around documents of `item`. */
export const paginated = (item: JsonSchema): JsonSchema => {
  const count = { type: 'integer', minimum: 0 }
  const pageOrNull = { type: ['integer', 'null'], minimum: 1 }
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      docs: { type: 'array', items: item },
      hasNextPage: { type: 'boolean' },
      hasPrevPage: { type: 'boolean' },
      limit: count,
      nextPage: pageOrNull,
      page: { type: 'integer', minimum: 1 },
      pagingCounter: { type: 'integer', minimum: 1 },
      prevPage: pageOrNull,
      totalDocs: count,
      totalPages: count,
    },
    required: ['docs', 'hasNextPage', 'hasPrevPage', 'limit', 'nextPage', 'page', 'pagingCounter', 'prevPage', 'totalDocs', 'totalPages'],
  }
}

/** Payload's answer to a create, update or delete: the document and a message. */
export const withMessage = (doc: JsonSchema): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties: { doc, message: { type: 'string' } },
  required: ['doc', 'message'],
})

export const jsonResponse = (description: string, schema: JsonSchema): ResponseObject => ({
  content: { 'application/json': { schema } },
  description,
})
