import type { CheckboxField, Field, JoinField } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { getRole } from '../../access/roles.js'
import { getPatientField } from '../bodySiteFields.js'
import { shareLinksOptions } from '../ShareLinks/fields.js'

export const consultationStatuses = ['scheduled', 'in-progress', 'completed', 'cancelled'] as const

const statusLabels: Record<(typeof consultationStatuses)[number], { en: string; fr: string }> = {
  cancelled: { en: 'Cancelled', fr: 'Annulée' },
  completed: { en: 'Completed', fr: 'Terminée' },
  'in-progress': { en: 'In progress', fr: 'En cours' },
  scheduled: { en: 'Scheduled', fr: 'Planifiée' },
}

const neverWritable = { create: () => false, update: () => false }

const imagesTakenField: CheckboxField = {
  name: 'imagesTaken',
  type: 'checkbox',
  access: neverWritable,
  admin: {
    description: {
      en: 'Set automatically: checked when the consultation has at least one image.',
      fr: 'Automatique : coché dès que la consultation a au moins une image.',
    },
    position: 'sidebar',
    readOnly: true,
  },
  defaultValue: false,
  label: { en: 'Images taken', fr: 'Images prises' },
}

/** The image counter in the sidebar; an admin component, so left out when the plugin is disabled. */
const imagesSummaryField = ({ slugs }: SanitizedDermaImagesPluginConfig): Field => ({
  name: 'imagesSummary',
  type: 'ui',
  admin: {
    components: {
      Field: {
        path: 'payload-derma-images/rsc#ConsultationImagesSummary',
        serverProps: { imagesSlug: slugs.consultationImages },
      },
    },
    position: 'sidebar',
  },
})

/** The photo gallery (uploader, grid, lightbox, compare) in the edit view's "Images" tab. */
const galleryField = (config: SanitizedDermaImagesPluginConfig): Field => ({
  name: 'gallery',
  type: 'ui',
  admin: {
    components: {
      Field: {
        path: 'payload-derma-images/rsc#ConsultationGalleryServer',
        serverProps: {
          consultationsSlug: config.slugs.consultations,
          imagesSlug: config.slugs.consultationImages,
          lesionsSlug: config.slugs.lesions,
          maxFileSize: config.maxFileSize,
          shareLinks: shareLinksOptions(config),
        },
      },
    },
  },
})

/**
 * Unnamed tabs are presentational: the columns are the same with and without the plugin's
 * components. With the gallery, the `images` join serves the APIs only; without it, the admin
 * shows Payload's own table of the join.
 */
export const getConsultationFields = (config: SanitizedDermaImagesPluginConfig): Field[] => {
  const images = getImagesJoinField(config)
  return [
    ...(config.disabled ? [] : [imagesSummaryField(config)]),
    {
      type: 'tabs',
      tabs: [
        { fields: getDataFields(config), label: { en: 'Consultation', fr: 'Consultation' } },
        {
          fields: config.disabled
            ? [images]
            : [galleryField(config), { ...images, admin: { ...images.admin, disabled: true } }],
          label: { en: 'Images', fr: 'Images' },
        },
      ],
    },
    imagesTakenField,
  ]
}

const getDataFields = ({ slugs }: SanitizedDermaImagesPluginConfig): Field[] => [
  {
    type: 'row',
    fields: [
      getPatientField(slugs.users),
      {
        name: 'doctor',
        type: 'relationship',
        defaultValue: ({ user }) => (getRole(user) === 'doctor' ? user?.id : undefined),
        filterOptions: { role: { equals: 'doctor' } },
        index: true,
        label: { en: 'Doctor', fr: 'Médecin' },
        relationTo: slugs.users,
        required: true,
      },
    ],
  },
  {
    type: 'row',
    fields: [
      {
        name: 'date',
        type: 'date',
        admin: { date: { pickerAppearance: 'dayAndTime' } },
        defaultValue: () => new Date().toISOString(),
        index: true,
        label: { en: 'Date', fr: 'Date' },
        required: true,
      },
      {
        name: 'status',
        type: 'select',
        defaultValue: 'scheduled',
        label: { en: 'Status', fr: 'Statut' },
        options: consultationStatuses.map((value) => ({ label: statusLabels[value], value })),
        required: true,
      },
    ],
  },
  {
    name: 'reason',
    type: 'text',
    label: { en: 'Reason for visit', fr: 'Motif de consultation' },
    maxLength: 500,
  },
  {
    name: 'notes',
    type: 'textarea',
    label: { en: 'Clinical notes', fr: 'Notes cliniques' },
    maxLength: 20000,
  },
]

const getImagesJoinField = ({ slugs }: SanitizedDermaImagesPluginConfig): JoinField => ({
  name: 'images',
  type: 'join',
  admin: { defaultColumns: ['filename', 'acquisition', 'bodySite', 'isPrimary', 'capturedAt'] },
  collection: slugs.consultationImages,
  defaultLimit: 24,
  defaultSort: '-createdAt',
  label: { en: 'Images', fr: 'Images' },
  on: 'consultation',
})
