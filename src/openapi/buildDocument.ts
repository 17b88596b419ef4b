import type { SanitizedConfig } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { CollectionInfo, DocumentContext, JsonSchema, OpenApiDocument } from './types.js'

import { buildComponents } from './components.js'
import { buildCollectionSchemas } from './payloadSchemas.js'
import { consultationImagePaths, consultationPaths } from './paths/collections.js'
import { consultationEndpointPaths } from './paths/consultationEndpoints.js'
import { exportPaths } from './paths/exports.js'
import { fhirPaths } from './paths/fhir.js'
import { generalPaths } from './paths/general.js'
import { auditEventPaths, lesionPaths } from './paths/lesionsAndAudit.js'
import { shareLinksTag, sharePaths } from './paths/share.js'

/** The version of the API contract this document describes (not of the plugin's code). */
const apiVersion = '1.0.0'

const collectionInfo = (
  schemas: Record<string, JsonSchema>,
  names: Map<string, string>,
  requiredOnCreate: Map<string, string[]>,
) => (slug: string): CollectionInfo => {
  const name = names.get(slug)
  const schema = name === undefined ? undefined : schemas[name]
  if (name === undefined || !schema) {
    throw new Error(`payload-derma-images: no JSON schema for the collection "${slug}"`)
  }
  const { readOnly: _readOnly, ...id } = ((schema.properties as Record<string, JsonSchema> | undefined)?.id ?? {})
  return {
    document: { $ref: `#/components/schemas/${name}` },
    id,
    input: { $ref: `#/components/schemas/${name}Input` },
    name,
    requiredOnCreate: requiredOnCreate.get(slug) ?? [],
    schema,
  }
}

/**
 * The OpenAPI 3.1 document of the plugin's API, generated from the app's sanitized config (the
 * collections, through Payload's `configToJSONSchema`) and the endpoints' zod schemas, so it
 * follows both: a new field, a renamed slug or a changed limit shows here without an edit.
 */
export const buildOpenApiDocument = (
  payloadConfig: SanitizedConfig,
  config: SanitizedDermaImagesPluginConfig,
): OpenApiDocument => {
  const { slugs } = config
  const { names, requiredOnCreate, schemas } = buildCollectionSchemas(
    payloadConfig,
    [slugs.consultations, slugs.consultationImages, slugs.lesions],
    [slugs.users, slugs.auditEvents],
  )
  const ctx: DocumentContext = { collection: collectionInfo(schemas, names, requiredOnCreate), config, payloadConfig }
  const tags = [slugs.consultations, slugs.consultationImages, slugs.lesions, slugs.auditEvents].map((slug) => ctx.collection(slug).name)
  return {
    components: buildComponents(payloadConfig, config, schemas),
    info: {
      description:
        'Dermatology consultations and their private photos. Every operation but login needs a logged-in ' +
        'user; what each user sees is filtered by role (admin, doctor, patient), and a document that is not ' +
        'theirs answers 404, exactly like one that does not exist. Errors answer `{ "errors": [{ "message", "path"? }] }`.',
      title: 'Derma images API',
      version: apiVersion,
    },
    openapi: '3.1.0',
    paths: {
      ...consultationPaths(ctx),
      ...consultationEndpointPaths(ctx),
      ...consultationImagePaths(ctx),
      ...fhirPaths(ctx),
      ...lesionPaths(ctx),
      ...auditEventPaths(ctx),
      ...exportPaths(ctx),
      ...generalPaths(ctx),
      ...sharePaths(ctx),
    },
    security: [{ jwt: [] }, { cookie: [] }],
    servers: [{ description: 'This app’s API', url: `${payloadConfig.serverURL}${payloadConfig.routes.api}` }],
    tags: [
      { description: 'A consultation: its patient, doctor, date and notes.', name: tags[0] ?? slugs.consultations },
      { description: 'A photo taken during a consultation, with its derivatives.', name: tags[1] ?? slugs.consultationImages },
      { description: 'A lesion of a patient followed across consultations.', name: tags[2] ?? slugs.lesions },
      { description: 'The append-only audit trail: who read, exported, changed or was refused what.', name: tags[3] ?? slugs.auditEvents },
      { description: 'Second-opinion links: created and revoked by clinicians, opened without an account.', name: shareLinksTag },
      { description: 'Logging in.', name: 'Authentication' },
      { description: 'Payload’s GraphQL API.', name: 'GraphQL' },
      { description: 'This document.', name: 'Documentation' },
    ],
  }
}
