import type { SanitizedConfig } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

/** A JSON Schema (draft 2020-12, OpenAPI 3.1's dialect), kept as plain data. */
export type JsonSchema = { [keyword: string]: unknown }

export type Reference = { $ref: string }

export type Parameter = {
  description?: string
  explode?: boolean
  in: 'cookie' | 'header' | 'path' | 'query'
  name: string
  required?: boolean
  schema: JsonSchema
  style?: 'deepObject' | 'form' | 'simple'
}

export type MediaType = {
  encoding?: Record<string, { contentType: string }>
  schema?: JsonSchema
}

export type ResponseObject = {
  content?: Record<string, MediaType>
  description: string
  headers?: Record<string, { description: string; schema: JsonSchema }>
}

export type Operation = {
  description?: string
  operationId: string
  parameters?: Parameter[]
  requestBody?: { content: Record<string, MediaType>; description?: string; required: boolean }
  responses: Record<string, Reference | ResponseObject>
  /** Omitted: the document's default (a logged-in user). `[]`: anyone. */
  security?: Record<string, string[]>[]
  summary: string
  tags: string[]
}

export type HttpMethod = 'delete' | 'get' | 'patch' | 'post'

export type PathItem = Partial<Record<HttpMethod, Operation>>

export type Paths = Record<string, PathItem>

export type OpenApiDocument = {
  components: {
    responses: Record<string, ResponseObject>
    schemas: Record<string, JsonSchema>
    securitySchemes: Record<string, { description: string; in: 'cookie' | 'header'; name: string; type: 'apiKey' }>
  }
  info: { description: string; title: string; version: string }
  openapi: '3.1.0'
  paths: Paths
  security: Record<string, string[]>[]
  servers: { description: string; url: string }[]
  tags: { description: string; name: string }[]
}

/** A collection's schemas as the paths use them. */
export type CollectionInfo = {
  /** `{ $ref }` to the document as the API returns it. */
  document: Reference
  /** The schema of its `id`. */
  id: JsonSchema
  /** `{ $ref }` to what a client may send. */
  input: Reference
  /** Its component name, also the operations' tag ("Consultation"). */
  name: string
  /** The fields a create must send. */
  requiredOnCreate: string[]
  /** The document schema itself. */
  schema: JsonSchema
}

/** What every part of the document is built from: the app's config and the plugin's. */
export type DocumentContext = {
  collection: (slug: string) => CollectionInfo
  config: SanitizedDermaImagesPluginConfig
  payloadConfig: SanitizedConfig
}
