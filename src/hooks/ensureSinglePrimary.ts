import type { CollectionBeforeChangeHook, Where } from 'payload'

import { ValidationError } from 'payload'

import type { ConsultationImageDoc, SanitizedDermaImagesPluginConfig } from '../types.js'

import { toID } from '../access/roles.js'
import { lockRowForUpdate } from '../db/postgres.js'
import { setImagesTaken } from '../operations/syncConsultationImages.js'

/**
 * Keeps exactly one primary image per consultation. Writers of one consultation are serialised by
 * its row lock; the first image becomes primary; making an image primary clears the others in the
 * same transaction; the current primary cannot simply be unset (another image must take over).
 * A partial unique index is the last line of defence. On create it also sets the consultation's
 * `imagesTaken` under the same lock, so a create needs no sync afterwards.
 */
export const getEnsureSinglePrimaryHook =
  (config: SanitizedDermaImagesPluginConfig): CollectionBeforeChangeHook<ConsultationImageDoc> =>
  async ({ collection, data, operation, originalDoc, req }) => {
    const consultationID = toID(data.consultation ?? originalDoc?.consultation)
    if (consultationID === undefined) {
      return data
    }
    const { slugs } = config
    await lockRowForUpdate(req, slugs.consultations, consultationID)
    const movedIn = operation === 'update' && toID(originalDoc?.consultation) !== consultationID
    if (operation === 'update' && !movedIn && originalDoc?.isPrimary && data.isPrimary === false) {
      throw new ValidationError({
        collection: collection.slug,
        errors: [
          {
            message: 'A consultation keeps one primary image: make another image primary instead.',
            path: 'isPrimary',
          },
        ],
        req,
      })
    }
    const others: { and: Where[] } = {
      and: [
        { consultation: { equals: consultationID } },
        ...(originalDoc?.id !== undefined ? [{ id: { not_equals: originalDoc.id } }] : []),
      ],
    }
    // On update Payload fills `data` with stored values, so a moved image arrives with its old
    // `isPrimary`: it only takes over the destination's primary when it was not primary before.
    const wantsPrimary = movedIn
      ? data.isPrimary === true && !originalDoc?.isPrimary
      : (data.isPrimary ?? originalDoc?.isPrimary ?? false)
    if (operation === 'create') {
      // The image is saved in this transaction or not at all: either way the flag is right.
      await setImagesTaken(req, slugs, consultationID, true)
    }
    if (!wantsPrimary) {
      const { totalDocs } = await req.payload.db.count({ collection: slugs.consultationImages, req, where: others })
      return { ...data, isPrimary: totalDocs === 0 }
    }
    await req.payload.db.updateMany({
      collection: slugs.consultationImages,
      data: { isPrimary: false },
      req,
      returning: false,
      where: { and: [...others.and, { isPrimary: { equals: true } }] },
    })
    return { ...data, isPrimary: true }
  }
