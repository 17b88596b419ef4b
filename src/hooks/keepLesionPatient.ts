import type { CollectionBeforeChangeHook } from 'payload'

import { ValidationError } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { sameID } from '../access/roles.js'

export const lesionHasImagesMessage = 'A lesion with images cannot move to another patient.'

/**
 * A lesion keeps its patient once images are linked to it: they were taken of that patient, and
 * moving the lesion would break the images' same-patient rule (see validateLesionPatient).
 */
export const getKeepLesionPatientHook =
  ({ slugs }: SanitizedDermaImagesPluginConfig): CollectionBeforeChangeHook =>
  async ({ collection, data, operation, originalDoc, req }) => {
    const patient = (data as { patient?: unknown }).patient
    if (operation !== 'update' || patient === undefined || sameID(patient, (originalDoc as { patient?: unknown }).patient)) {
      return data
    }
    // System count: images the user cannot see still pin the lesion to its patient.
    const { totalDocs } = await req.payload.count({
      collection: slugs.consultationImages,
      overrideAccess: true,
      req,
      where: { lesion: { equals: (originalDoc as { id: number | string }).id } },
    })
    if (totalDocs > 0) {
      throw new ValidationError({ collection: collection.slug, errors: [{ message: lesionHasImagesMessage, path: 'patient' }], req })
    }
    return data
  }
