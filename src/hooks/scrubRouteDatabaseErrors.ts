import type { Endpoint, Payload, PayloadHandler } from 'payload'

import { DatabaseQueryError, isQueryError } from '../utilities/withoutQueryParams.js'

const scrubbed = Symbol('payload-derma-images: database errors scrubbed')

const scrubHandler = (handler: PayloadHandler): PayloadHandler => {
  const wrapped: PayloadHandler = async (req) => {
    try {
      return await handler(req)
    } catch (error) {
      throw isQueryError(error) ? new DatabaseQueryError(error.cause) : error
    }
  }
  return Object.assign(wrapped, { [scrubbed]: true })
}

/**
 * Payload's REST routes log the error they end with (`routeError` calls `logError` with the error
 * itself) before any `afterError` hook runs, so a hook cannot keep a failed query's parameters (IDs,
 * descriptions, original file names) out of the log; only the thrown error can be changed. This
 * wraps every endpoint handler of the given collections (Payload's defaults and the plugin's) so
 * that a Drizzle query error leaves them as a `DatabaseQueryError`: still a 500 with Payload's
 * "Something went wrong.", logged without the query. The collections' endpoint lists are replaced
 * with copies (Payload shares its default endpoint objects between all collections, including the
 * host's), and a handler is wrapped once however often this runs.
 */
export const scrubRouteDatabaseErrors = (payload: Payload, slugs: string[]): void => {
  for (const slug of slugs) {
    const config = (payload.collections as Record<string, { config: { endpoints: Endpoint[] | false } } | undefined>)[slug]?.config
    if (!config || !Array.isArray(config.endpoints)) {
      continue
    }
    config.endpoints = config.endpoints.map((endpoint) =>
      scrubbed in endpoint.handler ? endpoint : { ...endpoint, handler: scrubHandler(endpoint.handler) },
    )
  }
}
