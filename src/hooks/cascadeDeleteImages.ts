import type { CollectionBeforeDeleteHook } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { withDermaContext } from './context.js'

/**
 * Deleting a consultation deletes its images in the same transaction. Their files are removed
 * only after the whole delete commits (see `removeStoredFiles`), so a failure leaves everything.
 */
export const getCascadeDeleteImagesHook =
  ({ slugs }: SanitizedDermaImagesPluginConfig): CollectionBeforeDeleteHook =>
  async ({ id, req }) => {
    // The consultation's delete was authorised; its images belong to it and go with it.
    await req.payload.delete({
      collection: slugs.consultationImages,
      context: withDermaContext(req.context, { deletingConsultation: id }),
      depth: 0,
      overrideAccess: true,
      req,
      where: { consultation: { equals: id } },
    })
  }
