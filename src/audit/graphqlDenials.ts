import type { AfterErrorHook, PayloadRequest, SanitizedCollectionConfig } from 'payload'

import { formatNames, toWords } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { deniedStatuses, writeOrLog } from '../hooks/auditAccess.js'

/** The parts of a GraphQL error (graphql-js `GraphQLError`) this hook reads. */
type GraphQLErrorLike = {
  nodes?: readonly FieldNode[]
  originalError?: { status?: number }
  path?: readonly (number | string)[]
}
type ValueNode = { kind: string; name?: { value: string }; value?: unknown }
type FieldNode = { arguments?: readonly { name: { value: string }; value: ValueNode }[]; kind: string; name?: { value: string } }

/**
 * The root fields Payload's GraphQL schema gives a collection (`@payloadcms/graphql`
 * `initCollections`, with the same names), mapped to the collection's slug.
 */
const rootFieldsOf = (collection: SanitizedCollectionConfig): string[] => {
  // Unset means the defaults; only `false` leaves a collection out of GraphQL.
  const graphQL = collection.graphQL as false | SanitizedCollectionConfig['graphQL'] | undefined
  if (graphQL === false) {
    return []
  }
  const fromSlug = formatNames(collection.slug)
  const singular = graphQL?.singularName ? toWords(graphQL.singularName, true) : fromSlug.singular
  const pluralName = graphQL?.pluralName ? toWords(graphQL.pluralName, true) : fromSlug.plural
  const plural = pluralName === singular ? `all${singular}` : pluralName
  return [singular, plural, `count${plural}`, `create${singular}`, `update${singular}`, `delete${singular}`, `duplicate${singular}`]
}

/** The `id` argument of the field, literal or from the request's variables. */
const idArgumentOf = (req: PayloadRequest, field: FieldNode): string | undefined => {
  const value = field.arguments?.find((argument) => argument.name.value === 'id')?.value
  const raw =
    value?.kind === 'Variable' && value.name
      ? (req.data as { variables?: Record<string, unknown> } | undefined)?.variables?.[value.name.value]
      : value?.value
  return typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined
}

/**
 * Records GraphQL's refusals on the audited collections as REST's are (`getAuditDenialHook`):
 * a `denied` event with the status (401, 403, 404), channel `graphql`, the collection and the
 * ID the query named. Payload calls no collection hook when a GraphQL resolver fails, only the
 * config's `afterError`, once per error, with the graphql-js error: its field node says which
 * root field (hence collection) failed and with which `id`, aliases notwithstanding. Log and
 * continue, like every refusal.
 */
export const getAuditGraphQLDenialHook = (config: SanitizedDermaImagesPluginConfig): AfterErrorHook => {
  const audited = new Set<string>([config.slugs.consultations, config.slugs.consultationImages, config.slugs.lesions])
  const byField = new WeakMap<object, Map<string, string>>()
  const fieldsOf = (req: PayloadRequest): Map<string, string> => {
    const known = byField.get(req.payload.config)
    if (known) {
      return known
    }
    const built = new Map(
      req.payload.config.collections
        .filter((collection) => audited.has(collection.slug))
        .flatMap((collection) => rootFieldsOf(collection).map((field) => [field, collection.slug] as const)),
    )
    byField.set(req.payload.config, built)
    return built
  }
  return async ({ error, graphqlResult, req }) => {
    const { nodes, originalError, path } = error as GraphQLErrorLike
    const status = originalError?.status
    const field = nodes?.[0]
    // Only GraphQL's errors, only refusals, only of a root field (a nested one is a populated relation).
    if (!graphqlResult || status === undefined || !deniedStatuses.has(status) || path?.length !== 1 || field?.kind !== 'Field') {
      return
    }
    const documentCollection = fieldsOf(req).get(field.name?.value ?? '')
    if (documentCollection === undefined) {
      return
    }
    await writeOrLog(req, config, [{ action: 'denied', channel: 'graphql', documentCollection, documentId: idArgumentOf(req, field), status }])
  }
}
