import type { CollectionAfterErrorHook, CollectionConfig } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { getAuditEventsAccess } from '../../access/auditEvents.js'
import { auditCollectionMarker } from '../../audit/retention.js'
import { getAuditEventFields } from './fields.js'

/** The error contract's 401 for anonymous requests, which Payload answers with 403. */
const unauthorizedWhenAnonymous: CollectionAfterErrorHook = ({ error, req }) =>
  (error as { status?: number }).status === 403 && !req.user
    ? { response: { errors: [{ message: 'You must be logged in.' }] }, status: 401 }
    : undefined

/**
 * `audit-events`: who did what to which consultation or image, when, from where and through which
 * channel. Append-only: written by the plugin's hooks, read by admins (and patients, about
 * themselves), changed by nobody.
 */
export const getAuditEventsCollection = (config: SanitizedDermaImagesPluginConfig): CollectionConfig => ({
  slug: config.slugs.auditEvents,
  access: getAuditEventsAccess(config),
  admin: {
    defaultColumns: ['createdAt', 'action', 'user', 'role', 'channel', 'documentCollection', 'documentId', 'patient'],
    description: {
      en: 'Every read, download, export and change of consultations and their images. Read-only.',
      fr: 'Chaque lecture, téléchargement, export et modification des consultations et de leurs images. Lecture seule.',
    },
    disableCopyToLocale: true,
    group: { en: 'Dermatology', fr: 'Dermatologie' },
    useAsTitle: 'action',
  },
  // How the retention purge finds this collection and its retention, whatever its slug.
  custom: { [auditCollectionMarker]: { retentionDays: config.audit.retentionDays } },
  defaultSort: '-createdAt',
  disableDuplicate: true,
  fields: getAuditEventFields(),
  hooks: { afterError: [unauthorizedWhenAnonymous] },
  labels: {
    plural: { en: 'Audit events', fr: "Événements d'audit" },
    singular: { en: 'Audit event', fr: "Événement d'audit" },
  },
  lockDocuments: false,
  timestamps: true,
})
