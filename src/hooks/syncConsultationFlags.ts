import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, PayloadRequest } from 'payload'

import type { ConsultationImageDoc, SanitizedDermaImagesPluginConfig } from '../types.js'

import { sameID, toID } from '../access/roles.js'
import { lockRowForUpdate } from '../db/postgres.js'
import { syncConsultationImages } from '../operations/syncConsultationImages.js'
import { getDermaContext } from './context.js'

const syncAll = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  ids: Array<number | string | undefined>,
): Promise<void> => {
  const deleting = getDermaContext(req.context).deletingConsultation
  for (const id of ids) {
    if (id !== undefined && !sameID(id, deleting)) {
      await lockRowForUpdate(req, config.slugs.consultations, id)
      await syncConsultationImages(req, config, id)
    }
  }
}

/**
 * After an image moved to another consultation: both are brought in line. (A create needs no
 * sync: `ensureSinglePrimary` already decided its primary image and set `imagesTaken`.)
 */
export const getSyncAfterChangeHook =
  (config: SanitizedDermaImagesPluginConfig): CollectionAfterChangeHook<ConsultationImageDoc> =>
  async ({ doc, operation, previousDoc, req }) => {
    const current = toID(doc.consultation)
    const previous = operation === 'update' ? toID(previousDoc.consultation) : undefined
    if (previous !== undefined && !sameID(previous, current)) {
      await syncAll(req, config, [previous, current])
    }
    return doc
  }

/** After an image is deleted: `imagesTaken` and the primary image of its consultation follow. */
export const getSyncAfterDeleteHook =
  (config: SanitizedDermaImagesPluginConfig): CollectionAfterDeleteHook<ConsultationImageDoc> =>
  async ({ doc, req }) => {
    await syncAll(req, config, [toID(doc.consultation)])
    return doc
  }
