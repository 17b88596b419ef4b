import type { SanitizedConfig } from 'payload'

import {
  GRAPHQL_POST,
  REST_DELETE,
  REST_GET,
  REST_PATCH,
  REST_POST,
} from '@payloadcms/next/routes'

type Method = 'DELETE' | 'GET' | 'PATCH' | 'POST'

type RequestOptions = {
  body?: FormData | Record<string, unknown>
  headers?: Record<string, string>
  token?: string
}

/**
 * Calls the app's real Next route handlers (the same functions app/(payload)/api exports) with a
 * real `Request`, as Payload's own integration suite does.
 */
export const createRestClient = (config: SanitizedConfig) => {
  const handlers = {
    DELETE: REST_DELETE(config),
    GET: REST_GET(config),
    PATCH: REST_PATCH(config),
    POST: REST_POST(config),
  }
  const graphql = GRAPHQL_POST(config)
  const origin = 'http://localhost:3000'

  const headersFor = ({ body, headers, token }: RequestOptions): Headers => {
    const result = new Headers(headers)
    if (body && !(body instanceof FormData)) {
      result.set('Content-Type', 'application/json')
    }
    if (token) {
      result.set('Authorization', `JWT ${token}`)
    }
    return result
  }

  const request = (method: Method, path: `/${string}`, options: RequestOptions = {}): Promise<Response> => {
    const [pathname = '', search] = path.slice(1).split('?')
    const body = options.body instanceof FormData ? options.body : options.body && JSON.stringify(options.body)
    const req = new Request(`${origin}${config.routes.api}/${pathname}${search ? `?${search}` : ''}`, {
      body,
      headers: headersFor(options),
      method,
    })
    return handlers[method](req, { params: Promise.resolve({ slug: pathname.split('/') }) })
  }

  return {
    graphql: (query: string, token?: string, variables?: Record<string, unknown>): Promise<Response> =>
      graphql(
        new Request(`${origin}${config.routes.api}${config.routes.graphQL}`, {
          body: JSON.stringify({ query, variables }),
          headers: headersFor({ body: {}, token }),
          method: 'POST',
        }),
      ),
    request,
  }
}

export type RestClient = ReturnType<typeof createRestClient>
