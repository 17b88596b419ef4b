import type { CollectionConfig, PayloadRequest } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { getRole, getUserOf } from './roles.js'

const nobody = (): boolean => false

/**
 * Admins read every audit event; a patient reads the events about their own consultations and
 * their images (a `Where` on the event's `patient`); doctors and everyone else read none.
 */
export const isAuditReader = (req: PayloadRequest, usersSlug: string): boolean | { patient: { equals: string } } => {
  const user = getUserOf(req, usersSlug)
  switch (getRole(user)) {
    case 'admin':
      return true
    case 'patient':
      return { patient: { equals: String(user?.id) } }
    default:
      return false
  }
}

/**
 * Access for `audit-events`: append-only. Nobody creates, updates or deletes an event through
 * any API, admins included; only the plugin's own system writes add rows.
 */
export const getAuditEventsAccess = ({ slugs }: SanitizedDermaImagesPluginConfig): NonNullable<CollectionConfig['access']> => ({
  admin: ({ req }) => getRole(getUserOf(req, slugs.users)) === 'admin',
  create: nobody,
  delete: nobody,
  read: ({ req }) => isAuditReader(req, slugs.users),
  readVersions: nobody,
  unlock: nobody,
  update: nobody,
})
