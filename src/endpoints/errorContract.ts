import type { PayloadHandler, PayloadRequest } from 'payload'

import { APIError, ValidationError } from 'payload'
import { ZodError } from 'zod'

import { withoutQueryParams } from '../utilities/withoutQueryParams.js'

/** One problem with a request: what is wrong and, for bad input, where (`limit`, `file`, …). */
export type ErrorItem = { message: string; path?: string }

/** The plugin's single error shape, Payload's own: `{ "errors": [{ "message", "path"? }] }`. */
export const errorResponse = (status: number, errors: ErrorItem[]): Response =>
  Response.json({ errors }, { headers: { 'Cache-Control': 'no-store' }, status })

const joinPath = (path: PropertyKey[]): string => path.map(String).join('.')

/** Every issue with its path; an unknown key is reported at its own path ("capturedAt"). */
const fromZod = (error: ZodError): ErrorItem[] =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ message: `Unknown field "${key}".`, path: joinPath([...issue.path, key]) }))
      : [{ message: issue.message, ...(issue.path.length > 0 ? { path: joinPath(issue.path) } : {}) }],
  )

const fromValidation = (error: ValidationError): ErrorItem[] =>
  (error.data.errors as { message: string; path?: string }[]).map(({ message, path }) => ({ message, ...(path ? { path } : {}) }))

/** Node's error for a request body cut off by the client (socket closed mid-upload). */
const isClientAbort = (error: unknown): boolean =>
  (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET' && (error as Error).message === 'aborted'

/**
 * Turns anything thrown by an endpoint into the error contract: 400 with every bad field for
 * invalid input, the error's own status and message for Payload's errors, and a bare 500 (logged
 * with the request's route only, never with patient data) for everything else.
 */
export const toErrorResponse = (error: unknown, req: PayloadRequest): Response => {
  if (error instanceof ZodError) {
    return errorResponse(400, fromZod(error))
  }
  if (error instanceof ValidationError) {
    return errorResponse(400, fromValidation(error))
  }
  if (error instanceof APIError && error.status < 500) {
    return errorResponse(error.status, [{ message: error.message }])
  }
  if (isClientAbort(error)) {
    // The client went away mid-body: nothing was stored and nobody reads this answer.
    req.payload.logger.info({ msg: `payload-derma-images: ${req.method ?? ''} request aborted by the client` })
    return errorResponse(400, [{ message: 'The request was interrupted before its body arrived.' }])
  }
  req.payload.logger.error({ err: withoutQueryParams(error), msg: `payload-derma-images: ${req.method ?? ''} endpoint failed` })
  const status = error instanceof APIError ? error.status : 500
  return errorResponse(status, [{ message: status === 507 ? error instanceof Error ? error.message : 'Storage is full.' : 'Something went wrong.' }])
}

/** Wraps an endpoint handler so that every failure answers with the error contract. */
export const withErrorContract =
  (handler: PayloadHandler): PayloadHandler =>
  async (req) => {
    try {
      return await handler(req)
    } catch (error) {
      return toErrorResponse(error, req)
    }
  }
