import type { CollectionConfig, Where } from 'payload'

import type { FileStore } from '../../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { getConsultationsAccess } from '../../access/consultations.js'
import { auditBeginWriteHook, getAuditDenialHook, getAuditOperationHook, getAuditReadHook } from '../../hooks/auditAccess.js'
import { getCascadeDeleteImagesHook } from '../../hooks/cascadeDeleteImages.js'
import { getHideForeignDocumentsHook } from '../../hooks/hideForeignDocuments.js'
import {
  consultationHasLesionImagesMessage,
  getKeepPatientOfLinkedImagesHook,
} from '../../hooks/keepPatientOfLinkedImages.js'
import { getConsultationEndpoints } from '../../endpoints/index.js'
import { getConsultationFields } from './fields.js'

export const getConsultationsCollection = (
  config: SanitizedDermaImagesPluginConfig,
  store: FileStore,
): CollectionConfig => ({
  slug: config.slugs.consultations,
  access: getConsultationsAccess(config),
  admin: {
    defaultColumns: ['date', 'patient', 'doctor', 'status', 'imagesTaken'],
    group: { en: 'Dermatology', fr: 'Dermatologie' },
    useAsTitle: 'reason',
  },
  defaultSort: '-date',
  // Per-consultation endpoints are the plugin's own surface: left out when it is disabled.
  endpoints: config.disabled ? [] : getConsultationEndpoints(config, store),
  fields: getConsultationFields(config),
  hooks: {
    afterError: [getAuditDenialHook(config), getHideForeignDocumentsHook(config.slugs.consultations)],
    afterOperation: [getAuditOperationHook(config)],
    afterRead: [getAuditReadHook(config)],
    beforeChange: [
      getKeepPatientOfLinkedImagesHook({
        config,
        linkedImages: (id): Where => ({ consultation: { equals: id }, lesion: { exists: true } }),
        message: consultationHasLesionImagesMessage,
      }),
    ],
    beforeDelete: [getCascadeDeleteImagesHook(config)],
    beforeOperation: [auditBeginWriteHook],
  },
  labels: {
    plural: { en: 'Consultations', fr: 'Consultations' },
    singular: { en: 'Consultation', fr: 'Consultation' },
  },
  timestamps: true,
})
