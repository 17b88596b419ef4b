import type { Endpoint, PayloadRequest, SanitizedConfig } from 'payload'

import { UnauthorizedError } from 'payload'

import type { OpenApiDocument } from '../openapi/index.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import {
  buildOpenApiDocument,
  docsContentSecurityPolicy,
  docsPath,
  openApiJsonPath,
  renderDocsPage,
  renderLoginPage,
} from '../openapi/index.js'
import { withErrorContract } from './errorContract.js'

type Built = { document: OpenApiDocument; page: string }

const pageHeaders = (): Headers =>
  new Headers({
    'Cache-Control': 'private, no-cache',
    'Content-Security-Policy': docsContentSecurityPolicy,
    'Content-Type': 'text/html; charset=utf-8',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  })

/**
 * `GET /api/derma-images/openapi.json` and `GET /api/derma-images/docs`: the API's OpenAPI 3.1
 * document, generated from the app's config on first use (then kept per config), and the same
 * as a static page. Both need a logged-in user: the document holds no patient data, but a
 * clinic's server shows nothing to anonymous callers beyond the login, and every operation it
 * describes needs a login anyway. In a browser the admin's session cookie is enough.
 */
export const getOpenApiEndpoints = (config: SanitizedDermaImagesPluginConfig): Endpoint[] => {
  const built = new WeakMap<SanitizedConfig, Built>()
  const buildFor = ({ payload }: PayloadRequest): Built => {
    const cached = built.get(payload.config)
    if (cached) {
      return cached
    }
    const { routes, serverURL } = payload.config
    const document = buildOpenApiDocument(payload.config, config)
    const result = { document, page: renderDocsPage(document, `${serverURL}${routes.api}${openApiJsonPath}`) }
    built.set(payload.config, result)
    return result
  }
  const loginURL = ({ payload }: PayloadRequest): string => {
    const { admin, routes, serverURL } = payload.config
    return `${serverURL}${routes.admin}${admin.routes.login}?redirect=${encodeURIComponent(`${routes.api}${docsPath}`)}`
  }
  return [
    {
      handler: withErrorContract((req) => {
        if (!req.user) {
          throw new UnauthorizedError(req.t)
        }
        return Promise.resolve(Response.json(buildFor(req).document, { headers: { 'Cache-Control': 'private, no-cache' } }))
      }),
      method: 'get',
      path: openApiJsonPath,
    },
    {
      handler: withErrorContract((req) =>
        Promise.resolve(
          req.user
            ? new Response(buildFor(req).page, { headers: pageHeaders(), status: 200 })
            : new Response(renderLoginPage(loginURL(req)), { headers: pageHeaders(), status: 401 }),
        ),
      ),
      method: 'get',
      path: docsPath,
    },
  ]
}
