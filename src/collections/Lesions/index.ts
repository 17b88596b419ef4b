import type { CollectionConfig } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { getLesionsAccess } from '../../access/lesions.js'
import { auditBeginWriteHook, getAuditDenialHook, getAuditOperationHook, getAuditReadHook } from '../../hooks/auditAccess.js'
import { getHideForeignDocumentsHook } from '../../hooks/hideForeignDocuments.js'
import { getKeepPatientOfLinkedImagesHook, lesionHasImagesMessage } from '../../hooks/keepPatientOfLinkedImages.js'
import { setLesionCreator } from '../../hooks/setLesionCreator.js'
import { getLesionFields } from './fields.js'

/** A lesion followed across consultations: its patient, coded site, label and status. */
export const getLesionsCollection = (config: SanitizedDermaImagesPluginConfig): CollectionConfig => ({
  slug: config.slugs.lesions,
  access: getLesionsAccess(config),
  admin: {
    defaultColumns: ['label', 'patient', 'bodySite', 'status', 'updatedAt'],
    group: { en: 'Dermatology', fr: 'Dermatologie' },
    useAsTitle: 'label',
  },
  defaultSort: '-updatedAt',
  fields: getLesionFields(config),
  hooks: {
    afterError: [getAuditDenialHook(config), getHideForeignDocumentsHook(config.slugs.lesions)],
    afterOperation: [getAuditOperationHook(config)],
    afterRead: [getAuditReadHook(config)],
    beforeChange: [
      setLesionCreator,
      getKeepPatientOfLinkedImagesHook({
        config,
        linkedImages: (id) => ({ lesion: { equals: id } }),
        message: lesionHasImagesMessage,
      }),
    ],
    beforeOperation: [auditBeginWriteHook],
  },
  labels: {
    plural: { en: 'Lesions', fr: 'Lésions' },
    singular: { en: 'Lesion', fr: 'Lésion' },
  },
  timestamps: true,
})
