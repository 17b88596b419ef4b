import type { CollectionConfig } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { getShareLinksAccess } from '../../access/shareLinks.js'
import { getHideForeignDocumentsHook } from '../../hooks/hideForeignDocuments.js'
import { getShareLinkFields } from './fields.js'
import { getPrepareShareLinkHook, getShareLinkAfterChangeHook } from './hooks.js'

/**
 * Where the share page finds the plugin's resolved options (a getter: `custom` is server-only, and
 * a function keeps the config's shape the same with and without `disabled`).
 */
export type ShareLinksCustom = { dermaImages: { shareLinks: () => SanitizedDermaImagesPluginConfig } }

/**
 * `share-links`: a second-opinion link to one consultation or one lesion, for someone outside the
 * clinic. Only the SHA-256 of its token is stored; the token itself is returned once, by the create.
 */
export const getShareLinksCollection = (config: SanitizedDermaImagesPluginConfig): CollectionConfig => ({
  slug: config.slugs.shareLinks,
  access: getShareLinksAccess(config),
  admin: {
    defaultColumns: ['createdAt', 'consultation', 'lesion', 'expiresAt', 'hideIdentity', 'revokedAt', 'createdBy'],
    description: {
      en: 'Second-opinion links. Create them from a consultation’s Images tab or a lesion’s timeline; they can only be revoked, never edited or deleted.',
      fr: 'Liens de second avis. Créez-les depuis l’onglet Images d’une consultation ou la chronologie d’une lésion ; ils peuvent seulement être révoqués, jamais modifiés ni supprimés.',
    },
    group: { en: 'Dermatology', fr: 'Dermatologie' },
  },
  custom: { dermaImages: { shareLinks: () => config } } satisfies ShareLinksCustom,
  defaultSort: '-createdAt',
  disableDuplicate: true,
  fields: getShareLinkFields(config),
  hooks: {
    afterChange: [getShareLinkAfterChangeHook(config)],
    afterError: [getHideForeignDocumentsHook(config.slugs.shareLinks)],
    beforeChange: [getPrepareShareLinkHook(config)],
  },
  labels: {
    plural: { en: 'Share links', fr: 'Liens de partage' },
    singular: { en: 'Share link', fr: 'Lien de partage' },
  },
  lockDocuments: false,
  timestamps: true,
})
