import type { CollectionConfig } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { getConsultationsAccess } from '../../access/consultations.js'
import { getCascadeDeleteImagesHook } from '../../hooks/cascadeDeleteImages.js'
import { getConsultationFields } from './fields.js'

export const getConsultationsCollection = (
  config: SanitizedDermaImagesPluginConfig,
): CollectionConfig => ({
  slug: config.slugs.consultations,
  access: getConsultationsAccess(config),
  admin: {
    defaultColumns: ['date', 'patient', 'doctor', 'status', 'imagesTaken'],
    group: { en: 'Dermatology', fr: 'Dermatologie' },
    useAsTitle: 'reason',
  },
  defaultSort: '-date',
  fields: getConsultationFields(config),
  hooks: {
    beforeDelete: [getCascadeDeleteImagesHook(config)],
  },
  labels: {
    plural: { en: 'Consultations', fr: 'Consultations' },
    singular: { en: 'Consultation', fr: 'Consultation' },
  },
  timestamps: true,
})
