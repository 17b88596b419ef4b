import type { Field } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { getBodySiteFields, toOptions } from '../bodySiteFields.js'
import { acquisitionTypes } from '../../vocabulary/acquisition.js'
import { imageRoles } from '../../vocabulary/lesions.js'
import { consentScopes, defaultConsentScopes } from '../../vocabulary/consent.js'
import { toID } from '../../access/roles.js'
import { findPatientOf } from '../../operations/lesionPatient.js'

/** Fields the server computes from the file; a client can never set them (see protectServerFields). */
export const serverComputedFields = [
  'originalFilename',
  'capturedAt',
  'capturedAtOffset',
  'cameraModel',
  'idempotencyKey',
  'idempotencyFingerprint',
] as const

const readOnlySidebar = { position: 'sidebar', readOnly: true } as const

/** Who recorded the image's consent scopes and when: set by the server whenever the scopes change (see recordConsent). */
export const consentRecordFields = ['consentRecordedBy', 'consentRecordedAt'] as const

export const getConsultationImageFields = ({ disabled, slugs }: SanitizedDermaImagesPluginConfig): Field[] => [
  {
    name: 'consultation',
    type: 'relationship',
    index: true,
    label: { en: 'Consultation', fr: 'Consultation' },
    relationTo: slugs.consultations,
    required: true,
  },
  {
    type: 'row',
    fields: [
      {
        name: 'acquisition',
        type: 'select',
        defaultValue: 'clinical-overview',
        label: { en: 'Acquisition', fr: 'Type de prise de vue' },
        options: toOptions(acquisitionTypes),
        required: true,
      },
      ...getBodySiteFields(disabled),
    ],
  },
  {
    type: 'row',
    fields: [
      {
        name: 'lesion',
        type: 'relationship',
        admin: {
          description: {
            en: 'A lesion of the consultation’s patient, followed across consultations.',
            fr: 'Une lésion du patient de la consultation, suivie d’une consultation à l’autre.',
          },
        },
        // Only the lesions of the consultation's patient are offered (validateLesionPatient
        // refuses any other with a clear 400 before Payload's own check runs).
        filterOptions: async ({ data, req }) => {
          const consultation = toID((data as { consultation?: unknown } | undefined)?.consultation)
          const patient = consultation === undefined ? undefined : await findPatientOf(req, slugs.consultations, consultation)
          return patient === undefined ? false : { patient: { equals: patient } }
        },
        index: true,
        label: { en: 'Lesion', fr: 'Lésion' },
        relationTo: slugs.lesions,
      },
      {
        name: 'role',
        type: 'select',
        label: { en: 'Role in the lesion’s history', fr: 'Rôle dans le suivi de la lésion' },
        options: toOptions(imageRoles),
      },
    ],
  },
  {
    name: 'description',
    type: 'textarea',
    label: { en: 'Clinical description', fr: 'Description clinique' },
    maxLength: 5000,
  },
  {
    type: 'row',
    fields: [
      {
        name: 'consentScopes',
        type: 'select',
        admin: {
          description: {
            en: 'What the patient agreed this photo may be used for. Share links and teaching or research exports only include the images whose consent names that use.',
            fr: 'Ce que le patient a accepté pour cette photo. Les liens de partage et les exports d’enseignement ou de recherche ne contiennent que les images dont le consentement le prévoit.',
          },
          width: '50%',
        },
        defaultValue: defaultConsentScopes,
        hasMany: true,
        label: { en: 'Consent', fr: 'Consentement' },
        options: toOptions(consentScopes),
      },
      {
        name: 'consentRecordedBy',
        type: 'relationship',
        admin: { readOnly: true, width: '25%' },
        label: { en: 'Consent recorded by', fr: 'Consentement enregistré par' },
        relationTo: slugs.users,
      },
      {
        name: 'consentRecordedAt',
        type: 'date',
        admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true, width: '25%' },
        label: { en: 'Consent recorded at', fr: 'Consentement enregistré le' },
      },
    ],
  },
  {
    name: 'isPrimary',
    type: 'checkbox',
    admin: {
      description: {
        en: 'One image per consultation is primary; making this one primary clears the others.',
        fr: 'Une seule image principale par consultation ; cocher celle-ci décoche les autres.',
      },
      position: 'sidebar',
    },
    defaultValue: false,
    index: true,
    label: { en: 'Primary image', fr: 'Image principale' },
  },
  {
    name: 'capturedAt',
    type: 'date',
    admin: { ...readOnlySidebar, date: { pickerAppearance: 'dayAndTime' } },
    label: { en: 'Captured at (EXIF)', fr: 'Date de prise de vue (EXIF)' },
  },
  {
    name: 'capturedAtOffset',
    type: 'text',
    admin: {
      ...readOnlySidebar,
      description: {
        en: 'The camera clock’s UTC offset (EXIF OffsetTimeOriginal), when the photo recorded it.',
        fr: 'Décalage UTC de l’horloge de l’appareil (EXIF OffsetTimeOriginal), s’il est enregistré.',
      },
    },
    label: { en: 'Capture time zone', fr: 'Fuseau de prise de vue' },
    maxLength: 6,
  },
  {
    name: 'cameraModel',
    type: 'text',
    admin: readOnlySidebar,
    label: { en: 'Camera (EXIF)', fr: 'Appareil (EXIF)' },
  },
  {
    name: 'originalFilename',
    type: 'text',
    admin: readOnlySidebar,
    label: { en: 'Original file name', fr: 'Nom de fichier d’origine' },
  },
  // Digests of an upload's Idempotency-Key and request (src/operations/idempotency.ts): never
  // shown, never patient data; the unique index makes one key store at most one image.
  {
    name: 'idempotencyKey',
    type: 'text',
    hidden: true,
    unique: true,
  },
  {
    name: 'idempotencyFingerprint',
    type: 'text',
    hidden: true,
  },
]
