import type { CollectionBeforeOperationHook } from 'payload'

import { Forbidden } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { consultationWriteScope } from '../access/consultations.js'

/**
 * Payload runs `beforeOperation` hooks before its access check, so without this an anonymous
 * visitor or a patient posting a 24 MP photo to `/api/consultation-images` would have it decoded
 * and re-encoded (a second of CPU) before being refused. Runs before ingest: whoever may change
 * no consultation at all gets Payload's own 403 at once; finer checks stay with access.
 */
export const getRefuseForbiddenUploadsHook =
  ({ slugs }: SanitizedDermaImagesPluginConfig): CollectionBeforeOperationHook =>
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the union merely includes the deprecated 'read'
  ({ args, operation, overrideAccess, req }) => {
    const writes = operation === 'create' || operation === 'update'
    if (writes && req.file && !overrideAccess && consultationWriteScope(req, slugs.users) === 'deny') {
      throw new Forbidden(req.t)
    }
    return args
  }
