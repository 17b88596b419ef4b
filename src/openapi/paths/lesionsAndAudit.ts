import type { DocumentContext, Paths } from '../types.js'

import { errorResponses, jsonResponse, paginated, withMessage } from '../components.js'
import { documentOperations, idParameter, listParameters } from './collections.js'

/** Payload's REST API for the lesions collection, with the plugin's access rules. */
export const lesionPaths = (ctx: DocumentContext): Paths => {
  const slug = ctx.config.slugs.lesions
  const { document, input, name, requiredOnCreate } = ctx.collection(slug)
  const { byID, list } = documentOperations(
    ctx,
    slug,
    'Admins see every lesion, a doctor those of the patients they have a consultation with, a patient their own.',
  )
  return {
    [`/${slug}`]: {
      get: list,
      post: {
        description:
          'For admins, and for doctors for a patient they have a consultation with (else 403). `createdBy` is set by the server. A patient gets 403.',
        operationId: `create${name}`,
        requestBody: { content: { 'application/json': { schema: { ...input, required: requiredOnCreate } } }, required: true },
        responses: {
          '201': jsonResponse('Created.', withMessage(document)),
          ...errorResponses(400, 401, 403),
        },
        summary: `Create a ${name}`,
        tags: [name],
      },
    },
    [`/${slug}/{id}`]: {
      ...byID,
      delete: { ...byID.delete, description: `${byID.delete.description ?? ''} A doctor deletes only the lesions they created.` },
    },
  }
}

/** The fields of an audit event worth filtering on, for the list's description. */
const filterExamples = [
  '`where[user][equals]=<user ID>`',
  '`where[action][equals]=denied` (`read`, `file-download`, `zip-export`, `fhir-export`, `create`, `update`, `delete`, `denied`)',
  '`where[documentCollection][equals]=lesions` with `where[documentId][equals]=<ID>`',
  '`where[patient][equals]=<patient ID>`, `where[consultation][equals]=<ID>`',
  '`where[createdAt][greater_than]=2026-12-01T00:00:00Z`',
]

/**
 * `GET /<audit-events>` and `GET /<audit-events>/{id}`: the append-only audit trail, read only.
 * Creating, changing or deleting an event is refused to everyone (403), so it is not offered.
 */
export const auditEventPaths = (ctx: DocumentContext): Paths => {
  const slug = ctx.config.slugs.auditEvents
  const { document, name } = ctx.collection(slug)
  const who = 'Admins read every event; a patient the events about their own consultations, images and lesions; doctors none (403).'
  return {
    [`/${slug}`]: {
      get: {
        description: `${who} Newest first. Filter with Payload’s query: ${filterExamples.join('; ')}.`,
        operationId: `find${name}`,
        parameters: listParameters(ctx),
        responses: { '200': jsonResponse(`A page of ${name} documents.`, paginated(document)), ...errorResponses(400, 401, 403) },
        summary: `List ${name} documents`,
        tags: [name],
      },
    },
    [`/${slug}/{id}`]: {
      get: {
        description: `${who} An event about someone else answers 404 to a patient, exactly like a missing one.`,
        operationId: `find${name}ByID`,
        parameters: [idParameter(ctx, slug)],
        responses: { '200': jsonResponse(`The ${name}.`, document), ...errorResponses(401, 403, 404) },
        summary: `Get a ${name}`,
        tags: [name],
      },
    },
  }
}
