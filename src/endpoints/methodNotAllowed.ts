import type { Endpoint } from 'payload'

import { errorResponse } from './errorContract.js'

const allMethods = ['delete', 'get', 'patch', 'post', 'put'] as const

/** 405 with an `Allow` header for the methods a plugin path does not answer. */
export const getMethodNotAllowedEndpoints = (path: string, allowed: readonly (typeof allMethods)[number][]): Endpoint[] =>
  allMethods
    .filter((method) => !allowed.includes(method))
    .map((method) => ({
      handler: () => {
        const response = errorResponse(405, [{ message: `Use ${allowed.map((m) => m.toUpperCase()).join(' or ')} on this path.` }])
        response.headers.set('Allow', allowed.map((m) => m.toUpperCase()).join(', '))
        return response
      },
      method,
      path,
    }))
