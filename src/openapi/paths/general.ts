import type { SanitizedCollectionConfig } from 'payload'

import type { DocumentContext, JsonSchema, Paths } from '../types.js'

import { errorResponses, jsonResponse } from '../components.js'
import { docsPath, openApiJsonPath } from '../routes.js'

/** What a login sends: email or username (as the auth collection is set up), and the password. */
const loginSchema = ({ auth }: SanitizedCollectionConfig): JsonSchema => {
  const withUsername = auth.loginWithUsername
  const identity: JsonSchema = withUsername
    ? withUsername.allowEmailLogin
      ? { anyOf: [{ required: ['username'] }, { required: ['email'] }] }
      : { required: ['username'] }
    : { required: ['email'] }
  const required = ['password', ...((identity.required as string[] | undefined) ?? [])]
  return {
    type: 'object',
    ...identity,
    properties: {
      email: { type: 'string', format: 'email' },
      password: { type: 'string', format: 'password' },
      ...(withUsername ? { username: { type: 'string' } } : {}),
    },
    required,
  }
}

/**
 * The user as login answers it: with its `collection` and `_strategy`, and `updatedAt` null
 * (Payload clears it so that adding a session does not count as an edit).
 */
const asLoggedIn = (user: JsonSchema): JsonSchema => {
  const properties = (user.properties ?? {}) as Record<string, JsonSchema>
  return {
    ...user,
    properties: {
      ...properties,
      _strategy: { type: 'string', description: 'How the user was authenticated (`local-jwt`).' },
      updatedAt: { ...properties.updatedAt, type: ['string', 'null'] },
    },
    required: [...((user.required ?? []) as string[]), 'collection'],
    title: `${String(user.title)} (logged in)`,
  }
}

/** `POST /<users>/login`: Payload's login, which every other operation needs. */
const loginPaths = (ctx: DocumentContext): Paths => {
  const slug = ctx.config.slugs.users
  const users = ctx.payloadConfig.collections.find((collection) => collection.slug === slug)
  if (!users) {
    return {}
  }
  const { lockTime, maxLoginAttempts } = users.auth
  return {
    [`/${slug}/login`]: {
      post: {
        description:
          'Answers the token to send as `Authorization: JWT <token>` and sets the session cookie. ' +
          (maxLoginAttempts > 0
            ? `After ${String(maxLoginAttempts)} failed attempts (concurrent ones included) the account is locked for ` +
              `${String(Math.round(lockTime / 60_000))} minutes, or until an admin unlocks it: every login then answers 401 ` +
              '"This user is locked due to having too many failed login attempts.", even with the right password.'
            : ''),
        operationId: 'login',
        requestBody: { content: { 'application/json': { schema: loginSchema(users) } }, required: true },
        responses: {
          '200': jsonResponse('Logged in.', {
            type: 'object',
            properties: {
              exp: { type: 'integer', description: 'When the token expires, in seconds since the epoch.' },
              message: { type: 'string' },
              token: { type: 'string' },
              user: asLoggedIn(ctx.collection(slug).schema),
            },
            required: ['exp', 'message', 'token', 'user'],
          }),
          ...errorResponses(400, 401),
        },
        security: [],
        summary: 'Log in',
        tags: ['Authentication'],
      },
    },
  }
}

/** Payload's GraphQL endpoint, in one line: its own schema (introspection) documents it. */
const graphQLPaths = ({ payloadConfig }: DocumentContext): Paths =>
  payloadConfig.graphQL.disable
    ? {}
    : {
        [payloadConfig.routes.graphQL]: {
          post: {
            description: 'Payload’s GraphQL API over the same collections and access rules; introspect it for its schema.',
            operationId: 'graphql',
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      operationName: { type: ['string', 'null'] },
                      query: { type: 'string' },
                      variables: { type: ['object', 'null'] },
                    },
                    required: ['query'],
                  },
                },
              },
              required: true,
            },
            responses: {
              '200': jsonResponse('GraphQL’s answer: errors, access errors included, come in `errors`.', {
                type: 'object',
                properties: { data: { type: ['object', 'null'] }, errors: { type: 'array' } },
              }),
            },
            // Anyone may send a query; what it can read is the same as over REST.
            security: [{}, { jwt: [] }, { cookie: [] }],
            summary: 'GraphQL',
            tags: ['GraphQL'],
          },
        },
      }

/** This document and its HTML rendering (`src/endpoints/openapi.ts`). */
const documentationPaths = (): Paths => ({
  [docsPath]: {
    get: {
      description: 'This document as a self-contained page: no script, nothing loaded from elsewhere.',
      operationId: 'getApiDocs',
      responses: {
        '200': { content: { 'text/html': { schema: { type: 'string' } } }, description: 'The page.' },
        '401': { content: { 'text/html': { schema: { type: 'string' } } }, description: 'Not logged in: a link to the login page.' },
      },
      summary: 'Read the API documentation',
      tags: ['Documentation'],
    },
  },
  [openApiJsonPath]: {
    get: {
      description: 'This OpenAPI 3.1 document, generated from the collections and the endpoints’ schemas.',
      operationId: 'getOpenApiDocument',
      responses: {
        '200': jsonResponse('The document.', { type: 'object', required: ['openapi', 'info', 'paths'] }),
        ...errorResponses(401),
      },
      summary: 'Get this OpenAPI document',
      tags: ['Documentation'],
    },
  },
})

export const generalPaths = (ctx: DocumentContext): Paths => ({
  ...loginPaths(ctx),
  ...graphQLPaths(ctx),
  ...documentationPaths(),
})
