import type { CollectionBeforeChangeHook, Where } from 'payload'

import { ValidationError } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { sameID } from '../access/roles.js'

export const lesionHasImagesMessage = 'A lesion with images cannot move to another patient.'
export const consultationHasLesionImagesMessage =
  'A consultation whose images are linked to lesions cannot move to another patient.'

type Args = {
  config: SanitizedDermaImagesPluginConfig
  /** The images that pin the document (a lesion or a consultation) to its patient. */
  linkedImages: (id: number | string) => Where
  message: string
}

/**
 * A lesion, or a consultation whose images are linked to lesions, keeps its patient: the images
 * were taken of that patient, and moving it would break the images' same-patient rule (see
 * validateLesionPatient).
 */
export const getKeepPatientOfLinkedImagesHook =
  ({ config, linkedImages, message }: Args): CollectionBeforeChangeHook =>
  async ({ collection, data, operation, originalDoc, req }) => {
    const patient = (data as { patient?: unknown }).patient
    if (operation !== 'update' || patient === undefined || sameID(patient, (originalDoc as { patient?: unknown }).patient)) {
      return data
    }
    // System count: images the user cannot see still pin the document to its patient.
    const { totalDocs } = await req.payload.count({
      collection: config.slugs.consultationImages,
      overrideAccess: true,
      req,
      where: linkedImages((originalDoc as { id: number | string }).id),
    })
    if (totalDocs > 0) {
      throw new ValidationError({ collection: collection.slug, errors: [{ message, path: 'patient' }], req })
    }
    return data
  }
