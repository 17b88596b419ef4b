import type { z } from 'zod'

import { toJSONSchema } from 'zod'

import type { JsonSchema, Parameter } from './types.js'

export const isSchemaObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Rebuilds a schema tree bottom-up, passing every object node through `visit`. */
export const mapSchema = (value: unknown, visit: (node: JsonSchema) => JsonSchema): unknown => {
  if (Array.isArray(value)) {
    return value.map((item) => mapSchema(item, visit))
  }
  if (!isSchemaObject(value)) {
    return value
  }
  return visit(Object.fromEntries(Object.entries(value).map(([key, child]) => [key, mapSchema(child, visit)])))
}

/**
 * A zod schema as what a client sends (`io: 'input'`: defaulted fields optional), in JSON Schema
 * 2020-12, the dialect of OpenAPI 3.1; without its `$schema`, as it is embedded.
 */
export const fromZod = (schema: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...json } = toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema
  return json
}

/** The properties of a zod object schema as OpenAPI parameters of one location. */
export const zodParameters = (
  schema: z.ZodObject,
  location: 'path' | 'query',
  descriptions: Record<string, string>,
): Parameter[] => {
  const json = fromZod(schema)
  const required = (json.required ?? []) as string[]
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => ({
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    in: location,
    name,
    // Path parameters are always required in OpenAPI.
    required: location === 'path' || required.includes(name),
    schema: property,
  }))
}
