import type { Field } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { getRole } from '../../access/roles.js'

export const consultationStatuses = ['scheduled', 'in-progress', 'completed', 'cancelled'] as const

const statusLabels: Record<(typeof consultationStatuses)[number], { en: string; fr: string }> = {
  cancelled: { en: 'Cancelled', fr: 'Annulée' },
  completed: { en: 'Completed', fr: 'Terminée' },
  'in-progress': { en: 'In progress', fr: 'En cours' },
  scheduled: { en: 'Scheduled', fr: 'Planifiée' },
}

const neverWritable = { create: () => false, update: () => false }

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

export const getConsultationFields = (config: SanitizedDermaImagesPluginConfig): Field[] => [
  ...(config.disabled ? [] : [imagesSummaryField(config)]),
  ...getDataFields(config),
]

const getDataFields = ({ slugs }: SanitizedDermaImagesPluginConfig): Field[] => [
  {
    type: 'row',
    fields: [
      {
        name: 'patient',
        type: 'relationship',
        filterOptions: { role: { equals: 'patient' } },
        index: true,
        label: { en: 'Patient', fr: 'Patient' },
        relationTo: slugs.users,
        required: true,
      },
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
  {
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
  },
  {
    name: 'images',
    type: 'join',
    admin: { defaultColumns: ['filename', 'acquisition', 'bodySite', 'isPrimary', 'capturedAt'] },
    collection: slugs.consultationImages,
    defaultLimit: 24,
    defaultSort: '-createdAt',
    label: { en: 'Images', fr: 'Images' },
    on: 'consultation',
  },
]
