import type { Field } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

/** What the admin's share drawer needs to know (a server prop of the gallery and the lesion timeline). */
export const shareLinksOptions = ({ shareLinks, slugs }: SanitizedDermaImagesPluginConfig) => ({
  defaultDays: shareLinks.defaultDays,
  imagesSlug: slugs.consultationImages,
  maxDays: shareLinks.maxDays,
  slug: slugs.shareLinks,
})

/** The longest note a doctor can leave for the recipient. */
export const shareNoteMaxLength = 1000

const serverField = { position: 'sidebar', readOnly: true } as const

/**
 * A link's fields. Everything is read-only in the admin: links are created from a consultation's
 * gallery or a lesion's timeline (which show the token once) and changed only by revocation;
 * the hooks enforce the same for the API.
 */
export const getShareLinkFields = ({ slugs }: SanitizedDermaImagesPluginConfig): Field[] => [
  {
    type: 'row',
    fields: [
      {
        name: 'consultation',
        type: 'relationship',
        admin: { readOnly: true },
        index: true,
        label: { en: 'Consultation', fr: 'Consultation' },
        relationTo: slugs.consultations,
      },
      {
        name: 'lesion',
        type: 'relationship',
        admin: { readOnly: true },
        index: true,
        label: { en: 'Lesion', fr: 'Lésion' },
        relationTo: slugs.lesions,
      },
    ],
  },
  {
    type: 'row',
    fields: [
      {
        name: 'expiresAt',
        type: 'date',
        admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true },
        index: true,
        label: { en: 'Expires', fr: 'Expire le' },
        required: true,
      },
      {
        name: 'hideIdentity',
        type: 'checkbox',
        admin: { readOnly: true },
        defaultValue: false,
        label: { en: 'Hide patient identity', fr: 'Masquer l’identité du patient' },
      },
    ],
  },
  {
    name: 'note',
    type: 'textarea',
    admin: { readOnly: true },
    label: { en: 'Note for the recipient', fr: 'Note pour le destinataire' },
    maxLength: shareNoteMaxLength,
  },
  { name: 'createdBy', type: 'relationship', admin: serverField, index: true, label: { en: 'Created by', fr: 'Créé par' }, relationTo: slugs.users },
  { name: 'revokedAt', type: 'date', admin: { ...serverField, date: { pickerAppearance: 'dayAndTime' } }, label: { en: 'Revoked', fr: 'Révoqué le' } },
  { name: 'revokedBy', type: 'relationship', admin: serverField, label: { en: 'Revoked by', fr: 'Révoqué par' }, relationTo: slugs.users },
  {
    // The SHA-256 of the token (see operations/shareToken.ts); never returned by any API.
    name: 'tokenHash',
    type: 'text',
    hidden: true,
    required: true,
    unique: true,
  },
]
