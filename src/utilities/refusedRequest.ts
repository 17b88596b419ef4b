import { APIError } from 'payload'

/** The name Payload's `logError` looks up in `config.loggingLevels`; the plugin sets it to `info`. */
export const refusedRequestName = 'DermaImagesRefusedRequest'

/**
 * A request refused for what the client sent (401, 400, 413, 415, 422): the answer carries
 * `message` as is, so it never holds patient data. Payload's REST routes log every error they end
 * with at `config.loggingLevels[error.name]`, `error` unless named there, so a pixel flood, an
 * oversize body or an anonymous post would page whoever watches the server's errors. Errors of
 * this class are logged at `info` (the message only) unless the app sets another level for
 * `DermaImagesRefusedRequest`.
 */
export class RefusedRequest extends APIError {
  constructor(message: string, status: 400 | 401 | 413 | 415 | 422) {
    super(message, status, null, true)
    this.name = refusedRequestName
  }
}
