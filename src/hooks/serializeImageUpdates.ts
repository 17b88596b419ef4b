import type { CollectionBeforeOperationHook } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { lockConsultationOfImage } from '../db/postgres.js'

/**
 * Payload reads the stored image and then writes every field back, so two concurrent PATCHes of
 * one image (one setting `description`, one `bodySite`) would each write the other's field back
 * as it was: a lost update. Locking the image's consultation before Payload reads the image (the
 * lock every writer of that consultation's images takes, so the order stays deadlock-free)
 * makes the second PATCH read what the first committed.
 */
export const getSerializeImageUpdatesHook =
  ({ slugs }: SanitizedDermaImagesPluginConfig): CollectionBeforeOperationHook =>
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the union merely includes the deprecated 'read'
  async ({ args, operation, req }) => {
    const id = (args as { id?: number | string }).id
    if (operation === 'update' && id !== undefined) {
      await lockConsultationOfImage(req, slugs, id)
    }
    return args
  }
