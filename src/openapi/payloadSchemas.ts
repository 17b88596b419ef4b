import type { SanitizedCollectionConfig, SanitizedConfig } from 'payload'

import { configToJSONSchema } from 'payload'

import type { JsonSchema } from './types.js'

import { isSchemaObject, mapSchema } from './jsonSchema.js'

const definitionPrefix = '#/definitions/'

/** Written by the server on every document; never sent by a client. */
const systemFields = ['id', 'createdAt', 'updatedAt']

/** The fields Payload adds to an upload collection and fills from the file itself. */
const uploadManagedFields = ['filename', 'filesize', 'focalX', 'focalY', 'height', 'mimeType', 'sizes', 'thumbnailURL', 'url', 'width']

export type CollectionSchemas = {
  /** Component name of each Payload definition included (collections by slug). */
  names: Map<string, string>
  /** By slug: the fields a create must send. */
  requiredOnCreate: Map<string, string[]>
  schemas: Record<string, JsonSchema>
}

const refsIn = (value: unknown): string[] => {
  const found: string[] = []
  mapSchema(value, (schema) => {
    const ref = schema.$ref
    if (typeof ref === 'string' && ref.startsWith(definitionPrefix)) {
      found.push(ref.slice(definitionPrefix.length))
    }
    return schema
  })
  return found
}

/** The definitions reachable from `roots` (a consultation's populated `patient` needs `users`). */
const closure = (definitions: Record<string, JsonSchema>, roots: string[]): string[] => {
  const seen = new Set<string>()
  const queue = [...roots]
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
    if (!seen.has(key) && key in definitions) {
      seen.add(key)
      queue.push(...refsIn(definitions[key]))
    }
  }
  return [...seen]
}

/** Payload's title ("ConsultationImage", the name in payload-types.ts), as a component key. */
const componentName = (key: string, schema: JsonSchema | undefined): string => {
  const title = typeof schema?.title === 'string' ? schema.title : key
  return title.replace(/[^\w.-]/g, '')
}

const fieldNames = (collection: SanitizedCollectionConfig, test: (field: Record<string, unknown>) => boolean): Set<string> =>
  new Set(collection.flattenedFields.filter((field) => test(field as unknown as Record<string, unknown>)).map((field) => field.name))

// Payload types `upload` and `auth` as always set; at run time other collections have `false`.
const isUpload = ({ upload }: SanitizedCollectionConfig): boolean => (upload as false | typeof upload) !== false
const isAuth = ({ auth }: SanitizedCollectionConfig): boolean => (auth as false | typeof auth) !== false

const isReadOnlyField = (field: Record<string, unknown>): boolean =>
  field.type === 'join' || (field.admin as { readOnly?: unknown } | undefined)?.readOnly === true

/**
 * A collection's document as the REST API returns it: hidden fields (hash, salt, reset tokens)
 * left out, and the fields only the server writes marked `readOnly`. An auth collection's
 * `collection` marker is only on the logged-in user, so it is optional.
 */
const toDocumentSchema = (collection: SanitizedCollectionConfig, schema: JsonSchema): JsonSchema => {
  const hidden = fieldNames(collection, (field) => field.hidden === true)
  const readOnly = new Set([
    ...systemFields,
    ...fieldNames(collection, isReadOnlyField),
    ...(isUpload(collection) ? uploadManagedFields : []),
  ])
  const properties = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)
    .filter(([name]) => !hidden.has(name))
    .map(([name, property]) => [name, readOnly.has(name) ? { ...property, readOnly: true } : property] as const)
  const required = ((schema.required ?? []) as string[]).filter(
    (name) => !hidden.has(name) && !(isAuth(collection) && name === 'collection'),
  )
  return { ...schema, properties: Object.fromEntries(properties), required }
}

/** A relationship accepts an ID or a populated document; a client sends only the ID. */
const withoutPopulated = (schema: unknown): unknown =>
  mapSchema(schema, (node) => {
    if (!Array.isArray(node.oneOf)) {
      return node
    }
    const ids = (node.oneOf as unknown[]).filter((option) => !(isSchemaObject(option) && '$ref' in option))
    const { oneOf: _alternatives, ...rest } = node
    return ids.length === 1 && isSchemaObject(ids[0]) ? { ...rest, ...ids[0] } : { ...rest, oneOf: ids }
  })

/**
 * What a client may send to create or update a document: every field not marked `readOnly`,
 * relationships as IDs. `required` is left to the create operation (see `requiredOnCreate`).
 */
const toInputSchema = (document: JsonSchema): JsonSchema => {
  const properties = Object.entries((document.properties ?? {}) as Record<string, JsonSchema>)
    .filter(([, property]) => property.readOnly !== true)
    .map(([name, property]) => [name, withoutPopulated(property)] as const)
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(properties),
    title: `${String(document.title)} input`,
  }
}

/** Fields a create must send: required, without a default, and writable by a client. */
const requiredOnCreate = (collection: SanitizedCollectionConfig, input: JsonSchema, document: JsonSchema): string[] => {
  const defaulted = fieldNames(collection, (field) => field.defaultValue !== undefined)
  const writable = Object.keys(input.properties ?? {})
  return ((document.required ?? []) as string[]).filter((name) => writable.includes(name) && !defaulted.has(name))
}

/** Payload marks a missing select as `null` in `type` but not in `enum`, which would refuse it. */
const allowNullInEnums = (schema: unknown): unknown =>
  mapSchema(schema, (node) =>
    Array.isArray(node.type) && node.type.includes('null') && Array.isArray(node.enum) && !node.enum.includes(null)
      ? { ...node, enum: [...(node.enum as unknown[]), null] }
      : node,
  )

const rewriteRefs = (schema: unknown, names: Map<string, string>): unknown =>
  mapSchema(schema, (node) =>
    typeof node.$ref === 'string' && node.$ref.startsWith(definitionPrefix)
      ? { ...node, $ref: `#/components/schemas/${names.get(node.$ref.slice(definitionPrefix.length)) ?? ''}` }
      : node,
  )

/**
 * The collections' schemas from Payload's own `configToJSONSchema` (what generates
 * payload-types.ts), for `slugs`, `others` and every definition they reference, as OpenAPI
 * components. Each of `slugs` also gets an `<Name>Input` schema for request bodies.
 */
export const buildCollectionSchemas = (payloadConfig: SanitizedConfig, slugs: string[], others: string[]): CollectionSchemas => {
  const definitions = (configToJSONSchema(payloadConfig, payloadConfig.db.defaultIDType).definitions ?? {}) as Record<string, JsonSchema>
  const keys = closure(definitions, [...slugs, ...others])
  const names = new Map(keys.map((key) => [key, componentName(key, definitions[key])]))
  const schemas: Record<string, JsonSchema> = {}
  const required = new Map<string, string[]>()
  for (const key of keys) {
    const collection = payloadConfig.collections.find((entry) => entry.slug === key)
    const definition = definitions[key] ?? {}
    const document = collection ? toDocumentSchema(collection, definition) : definition
    const converted = allowNullInEnums(rewriteRefs(document, names)) as JsonSchema
    schemas[names.get(key) ?? key] = converted
    if (collection && slugs.includes(key)) {
      const input = toInputSchema(converted)
      schemas[`${names.get(key) ?? key}Input`] = input
      required.set(key, requiredOnCreate(collection, input, converted))
    }
  }
  return { names, requiredOnCreate: required, schemas }
}
