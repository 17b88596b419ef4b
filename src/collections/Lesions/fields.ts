import type { Field } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { getBodySiteFields, getPatientField, toOptions } from '../bodySiteFields.js'
import { lesionStatuses } from '../../vocabulary/lesions.js'
import { shareLinksOptions } from '../ShareLinks/fields.js'

/** The lesion's images across consultations; an admin component, so left out when the plugin is disabled. */
const timelineField = (config: SanitizedDermaImagesPluginConfig): Field => ({
  name: 'timeline',
  type: 'ui',
  admin: {
    components: {
      Field: {
        path: 'payload-derma-images/rsc#LesionTimelineServer',
        serverProps: {
          consultationsSlug: config.slugs.consultations,
          imagesSlug: config.slugs.consultationImages,
          shareLinks: shareLinksOptions(config),
        },
      },
    },
  },
})

const getDataFields = ({ disabled, slugs }: SanitizedDermaImagesPluginConfig): Field[] => [
  {
    type: 'row',
    fields: [
      getPatientField(slugs.users),
      {
        name: 'label',
        type: 'text',
        admin: { description: { en: 'e.g. “Mole left shoulder #2”', fr: 'p. ex. « Naevus épaule gauche n° 2 »' } },
        label: { en: 'Label', fr: 'Libellé' },
        maxLength: 200,
        required: true,
      },
    ],
  },
  {
    type: 'row',
    fields: [
      ...getBodySiteFields(disabled),
      {
        name: 'status',
        type: 'select',
        defaultValue: 'monitoring',
        label: { en: 'Status', fr: 'Statut' },
        options: toOptions(lesionStatuses),
        required: true,
      },
    ],
  },
  {
    name: 'notes',
    type: 'textarea',
    label: { en: 'Notes', fr: 'Notes' },
    maxLength: 20000,
  },
]

/** `createdBy` is the server's (see setLesionCreator): who may delete the lesion. The timeline comes last. */
export const getLesionFields = (config: SanitizedDermaImagesPluginConfig): Field[] => [
  ...getDataFields(config),
  ...(config.disabled ? [] : [timelineField(config)]),
  {
    name: 'createdBy',
    type: 'relationship',
    admin: { position: 'sidebar', readOnly: true },
    index: true,
    label: { en: 'Created by', fr: 'Créée par' },
    relationTo: config.slugs.users,
  },
]
