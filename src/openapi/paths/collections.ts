import type { DocumentContext, Operation, Parameter, Paths } from '../types.js'

import { errorResponses, jsonResponse, paginated, withMessage } from '../components.js'
import { multipartBody, uploadErrors } from './upload.js'

const depthParameter = ({ payloadConfig }: DocumentContext): Parameter => ({
  description: 'How deep relationships are populated (0: IDs only).',
  in: 'query',
  name: 'depth',
  schema: { type: 'integer', default: payloadConfig.defaultDepth, maximum: payloadConfig.maxDepth, minimum: 0 },
})

export const listParameters = (ctx: DocumentContext): Parameter[] => [
  depthParameter(ctx),
  { description: 'Documents per page.', in: 'query', name: 'limit', schema: { type: 'integer', default: 10, minimum: 0 } },
  { in: 'query', name: 'page', schema: { type: 'integer', default: 1, minimum: 1 } },
  { description: 'A field name, `-` first for descending (`-createdAt`).', in: 'query', name: 'sort', schema: { type: 'string' } },
  {
    description: 'Payload’s query: `where[field][operator]=value` (`where[status][equals]=completed`).',
    explode: true,
    in: 'query',
    name: 'where',
    schema: { type: 'object' },
    style: 'deepObject',
  },
]

export const idParameter = (ctx: DocumentContext, slug: string): Parameter => ({
  in: 'path',
  name: 'id',
  required: true,
  schema: ctx.collection(slug).id,
})

/** `GET /<slug>`, `GET|PATCH|DELETE /<slug>/{id}`: Payload's REST API, filtered by the plugin's access rules. */
export const documentOperations = (
  ctx: DocumentContext,
  slug: string,
  who: string,
): { byID: Record<'delete' | 'get' | 'patch', Operation>; list: Operation } => {
  const { document, input, name } = ctx.collection(slug)
  const tags = [name]
  const hidden = 'Any other answers 404, exactly like a missing one.'
  return {
    byID: {
      delete: {
        description: `${who} ${hidden} Deleting is for whoever may change it.`,
        operationId: `delete${name}ByID`,
        parameters: [idParameter(ctx, slug), depthParameter(ctx)],
        responses: { '200': jsonResponse('Deleted.', withMessage(document)), ...errorResponses(401, 403, 404) },
        summary: `Delete a ${name}`,
        tags,
      },
      get: {
        description: `${who} ${hidden}`,
        operationId: `find${name}ByID`,
        parameters: [idParameter(ctx, slug), depthParameter(ctx)],
        responses: { '200': jsonResponse(`The ${name}.`, document), ...errorResponses(401, 404) },
        summary: `Get a ${name}`,
        tags,
      },
      patch: {
        description: `${who} ${hidden} Changing is for whoever may change it; fields marked read-only are the server’s.`,
        operationId: `update${name}ByID`,
        parameters: [idParameter(ctx, slug), depthParameter(ctx)],
        requestBody: { content: { 'application/json': { schema: input } }, required: true },
        responses: { '200': jsonResponse('Updated.', withMessage(document)), ...errorResponses(400, 401, 403, 404) },
        summary: `Update a ${name}`,
        tags,
      },
    },
    list: {
      description: `${who} The others are left out of the list.`,
      operationId: `find${name}`,
      parameters: listParameters(ctx),
      responses: { '200': jsonResponse(`A page of ${name} documents.`, paginated(document)), ...errorResponses(400, 401) },
      summary: `List ${name} documents`,
      tags,
    },
  }
}

/** Payload's REST API for the consultations collection. */
export const consultationPaths = (ctx: DocumentContext): Paths => {
  const slug = ctx.config.slugs.consultations
  const { document, input, name, requiredOnCreate } = ctx.collection(slug)
  const { byID, list } = documentOperations(
    ctx,
    slug,
    'Admins see every consultation, a doctor those they run, a patient their own.',
  )
  return {
    [`/${slug}`]: {
      get: list,
      post: {
        description: 'For admins, and for doctors as the consultation’s doctor. A patient gets 403.',
        operationId: `create${name}`,
        requestBody: { content: { 'application/json': { schema: { ...input, required: requiredOnCreate } } }, required: true },
        responses: { '201': jsonResponse('Created.', withMessage(document)), ...errorResponses(400, 401, 403) },
        summary: `Create a ${name}`,
        tags: [name],
      },
    },
    [`/${slug}/{id}`]: byID,
  }
}

/** Payload's REST API for the images collection, its upload and its access-checked file route. */
export const consultationImagePaths = (ctx: DocumentContext): Paths => {
  const slug = ctx.config.slugs.consultationImages
  const { document, input, name, requiredOnCreate } = ctx.collection(slug)
  const { byID, list } = documentOperations(
    ctx,
    slug,
    'An image is visible to whoever sees its consultation.',
  )
  const upload = multipartBody(ctx.config, input, ['file'])
  return {
    [`/${slug}`]: {
      get: list,
      post: {
        description: 'Uploads one photo into a consultation the user may change (admins any, a doctor their own).',
        operationId: `create${name}`,
        requestBody: multipartBody(ctx.config, { ...input, required: requiredOnCreate }, ['_payload', 'file']),
        responses: {
          '201': jsonResponse('Stored, with its derivatives.', withMessage(document)),
          ...errorResponses(400, 401, 403),
          ...uploadErrors(),
        },
        summary: `Upload a ${name}`,
        tags: [name],
      },
    },
    [`/${slug}/file/{filename}`]: {
      get: {
        description:
          'The stored original or a derivative (`sizes.<name>.filename`), for whoever may see its image; ' +
          'served privately (`Cache-Control: private, no-store`), with byte ranges.',
        operationId: `get${name}File`,
        parameters: [
          { description: 'A `filename` from the image document.', in: 'path', name: 'filename', required: true, schema: { type: 'string' } },
          { description: 'One byte range (`bytes=0-1023`).', in: 'header', name: 'Range', schema: { type: 'string' } },
        ],
        responses: {
          '200': { content: { 'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } } }, description: 'The file.' },
          '206': { content: { 'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } } }, description: 'The requested range.' },
          ...errorResponses(401, 404),
          '416': {
            description: 'The range lies outside the file.',
            headers: { 'Content-Range': { description: '`bytes */<size>`', schema: { type: 'string' } } },
          },
        },
        summary: `Download a ${name} file`,
        tags: [name],
      },
    },
    [`/${slug}/{id}`]: {
      ...byID,
      patch: {
        ...byID.patch,
        description: `${byID.patch.description ?? ''} Sent as multipart/form-data with a new \`file\`, the photo is replaced.`,
        requestBody: { content: { 'application/json': { schema: input }, ...upload.content }, required: true },
        responses: { ...byID.patch.responses, ...uploadErrors() },
      },
    },
  }
}
