import type { CollectionBeforeChangeHook } from 'payload'

import { ValidationError } from 'payload'

import type { ConsultationImageDoc, SanitizedDermaImagesPluginConfig } from '../types.js'

import { sameID, toID } from '../access/roles.js'
import { findPatientOf } from '../operations/lesionPatient.js'

export const lesionOfOtherPatientMessage = 'The lesion must belong to the patient of the image’s consultation.'

/**
 * An image's lesion belongs to the patient of the image's consultation. Checked on create and on
 * every update that keeps or sets a lesion (also when only the consultation moves), as a
 * collection hook so Payload's REST, GraphQL, the plugin's upload endpoint and the Local API all
 * answer a 400 with the same message.
 */
export const getValidateLesionPatientHook =
  ({ slugs }: SanitizedDermaImagesPluginConfig): CollectionBeforeChangeHook<ConsultationImageDoc> =>
  async ({ data, originalDoc, req }) => {
    const lesion = toID(data.lesion === undefined ? originalDoc?.lesion : data.lesion)
    const consultation = toID(data.consultation === undefined ? originalDoc?.consultation : data.consultation)
    if (lesion === undefined || consultation === undefined) {
      return data
    }
    const [lesionPatient, consultationPatient] = await Promise.all([
      findPatientOf(req, slugs.lesions, lesion),
      findPatientOf(req, slugs.consultations, consultation),
    ])
    if (!sameID(lesionPatient, consultationPatient)) {
      throw new ValidationError({
        collection: slugs.consultationImages,
        errors: [{ message: lesionOfOtherPatientMessage, path: 'lesion' }],
        req,
      })
    }
    return data
  }
