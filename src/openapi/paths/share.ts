import type { DocumentContext, JsonSchema, Parameter, Paths, ResponseObject } from '../types.js'

import { shareNoteMaxLength } from '../../collections/ShareLinks/fields.js'
import { shareApiPath } from '../../operations/shareToken.js'
import { errorResponses, jsonResponse, withMessage } from '../components.js'

export const shareLinksTag = 'Share links'

const reference = { type: ['integer', 'object', 'null'], description: 'An ID, or the document at `depth` > 0.' }
const dateTime = { type: 'string', format: 'date-time' }

const shareLinkSchema: JsonSchema = {
  type: 'object',
  properties: {
    consultation: reference,
    createdAt: dateTime,
    createdBy: reference,
    expiresAt: dateTime,
    hideIdentity: { type: ['boolean', 'null'] },
    id: { type: 'integer' },
    lesion: reference,
    note: { type: ['string', 'null'], maxLength: shareNoteMaxLength },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedBy: reference,
    updatedAt: dateTime,
  },
  required: ['id', 'expiresAt', 'createdAt', 'updatedAt'],
}

const createdSchema: JsonSchema = {
  ...shareLinkSchema,
  properties: {
    ...(shareLinkSchema.properties as Record<string, JsonSchema>),
    token: { type: 'string', description: 'The link’s secret: 256 random bits, base64url. Returned here once, never stored.', pattern: '^[\\w-]{43}$' },
    url: { type: 'string', description: 'The recipient’s page, `<serverURL>/share/<token>` (relative when `serverURL` is unset).' },
  },
  required: [...(shareLinkSchema.required as string[]), 'token', 'url'],
}

const sizeSchema: JsonSchema = {
  type: 'object',
  properties: { height: { type: 'integer' }, url: { type: 'string' }, width: { type: 'integer' } },
  required: ['url'],
}

const galleryImageSchema: JsonSchema = {
  type: 'object',
  properties: {
    acquisition: { type: 'string' },
    bodySite: { type: 'string' },
    capturedAt: { ...dateTime, description: 'Only when the link shows identity.' },
    day: { type: 'integer', minimum: 0, description: 'Days since the gallery’s first image.' },
    description: { type: 'string', description: 'The clinician’s free text; only when the link shows identity.' },
    height: { type: 'integer' },
    key: { type: 'string', description: 'The image’s name within this link (no database ID).' },
    laterality: { type: 'string' },
    mimeType: { type: 'string' },
    original: sizeSchema,
    role: { type: 'string' },
    sizes: { type: 'object', additionalProperties: sizeSchema },
    width: { type: 'integer' },
  },
  required: ['day', 'key', 'original', 'sizes'],
}

const gallerySchema: JsonSchema = {
  type: 'object',
  properties: {
    consultation: { type: 'object', properties: { date: dateTime, reason: { type: 'string' } } },
    expiresAt: { ...dateTime, description: 'Only when the link shows identity; `expiresInSeconds` always.' },
    expiresInSeconds: { type: 'integer', minimum: 0 },
    hideIdentity: { type: 'boolean' },
    images: { type: 'array', items: galleryImageSchema },
    lesion: { type: 'object', properties: { bodySite: { type: 'string' }, label: { type: 'string' }, laterality: { type: 'string' } } },
    note: { type: 'string' },
    patient: { type: 'object', properties: { name: { type: 'string' } } },
    sharedBy: { type: 'string' },
    target: { enum: ['consultation', 'lesion'] },
  },
  required: ['expiresInSeconds', 'hideIdentity', 'images', 'target'],
}

const tokenParameter: Parameter = {
  description: 'The link’s token, as returned once by `POST /share-links`.',
  in: 'path',
  name: 'token',
  required: true,
  schema: { type: 'string' },
}

const shareHeaders = {
  'Cache-Control': { description: '`no-store`', schema: { type: 'string' } },
  'Referrer-Policy': { description: '`no-referrer`', schema: { type: 'string' } },
  'X-Robots-Tag': { description: '`noindex, nofollow`', schema: { type: 'string' } },
}

const shareNotFound: ResponseObject = {
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } },
  description: 'The token is unknown, the link expired or was revoked, its creator may no longer see the target, or the image is not (or no longer) consented for second opinion. Recorded in the audit trail.',
  headers: shareHeaders,
}

/** The share links' create and revoke (`share-links`) and their public, no-account routes (`src/endpoints/share.ts`). */
export const sharePaths = (ctx: DocumentContext): Paths => {
  const slug = ctx.config.slugs.shareLinks
  const { maxDays } = ctx.config.shareLinks
  const tags = [shareLinksTag]
  return {
    [`/${slug}`]: {
      post: {
        description:
          `A second-opinion link to one consultation (its doctor, or an admin) or one lesion (a doctor with a consultation with its patient, or an admin). ` +
          `\`expiresAt\` defaults to ${String(ctx.config.shareLinks.defaultDays)} days and may be at most ${String(maxDays)} days away. ` +
          'The answer holds the token and its URL, once: only its SHA-256 is stored.',
        operationId: 'createShareLink',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  consultation: { type: 'integer' },
                  expiresAt: dateTime,
                  hideIdentity: { type: 'boolean', description: 'No name, no identifiers, dates as days from the first image.' },
                  lesion: { type: 'integer' },
                  note: { type: 'string', maxLength: shareNoteMaxLength },
                },
              },
            },
          },
          required: true,
        },
        responses: {
          '201': jsonResponse('Created; `doc.token` and `doc.url` are shown this once.', withMessage(createdSchema)),
          ...errorResponses(400, 401, 403),
        },
        summary: 'Create a second-opinion share link',
        tags,
      },
    },
    [`/${slug}/{id}`]: {
      patch: {
        description:
          'Revokes the link at once (send any `revokedAt`: the server records its own time and the user). Nothing else ' +
          'of a link can change (400); a revoked link stays revoked. Links are never deleted: the audit trail refers to them.',
        operationId: 'revokeShareLink',
        parameters: [{ description: 'The link’s ID.', in: 'path', name: 'id', required: true, schema: { type: 'integer' } }],
        requestBody: {
          content: { 'application/json': { schema: { type: 'object', properties: { revokedAt: {} }, required: ['revokedAt'] } } },
          required: true,
        },
        responses: {
          '200': jsonResponse('Revoked.', withMessage(shareLinkSchema)),
          ...errorResponses(400, 401, 403, 404),
        },
        summary: 'Revoke a share link',
        tags,
      },
    },
    [`${shareApiPath}/{token}`]: {
      get: {
        description:
          'No account needed: the token is the credential, checked on every request. The images of the target consented ' +
          'for second opinion, with clinical codes and the URLs of their files through the link. Every opening is audited.',
        operationId: 'getSharedGallery',
        parameters: [tokenParameter],
        responses: {
          '200': { ...jsonResponse('The shared gallery.', gallerySchema), headers: shareHeaders },
          '404': shareNotFound,
        },
        security: [],
        summary: 'Open a shared gallery',
        tags,
      },
    },
    [`${shareApiPath}/{token}/images/{key}/{variant}`]: {
      get: {
        description: 'One file of a shared image (`original` or an image size), checked and audited like the gallery.',
        operationId: 'getSharedImageFile',
        parameters: [
          tokenParameter,
          { description: 'The image’s `key` in the gallery.', in: 'path', name: 'key', required: true, schema: { type: 'string' } },
          {
            description: '`original` or an image size.',
            in: 'path',
            name: 'variant',
            required: true,
            schema: { enum: ['original', ...ctx.config.imageSizes.map((size) => size.name)] },
          },
        ],
        responses: {
          '200': { content: { 'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } } }, description: 'The file’s bytes.', headers: shareHeaders },
          '404': shareNotFound,
        },
        security: [],
        summary: 'Download a shared image',
        tags,
      },
    },
  }
}
