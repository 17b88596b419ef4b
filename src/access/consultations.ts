import type { CollectionConfig, PayloadRequest, Where } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { getRole, getUserOf, sameID } from './roles.js'

type Scope = 'deny' | 'everything' | Where

/**
 * Who may see which consultations: admins every one, a doctor the consultations they run, a
 * patient their own. Everyone else nothing.
 */
export const consultationReadScope = (req: PayloadRequest, usersSlug: string): Scope => {
  const user = getUserOf(req, usersSlug)
  switch (getRole(user)) {
    case 'admin':
      return 'everything'
    case 'doctor':
      return { doctor: { equals: user?.id } }
    case 'patient':
      return { patient: { equals: user?.id } }
    default:
      return 'deny'
  }
}

/** Who may change which consultations: admins every one, a doctor their own; patients none. */
export const consultationWriteScope = (req: PayloadRequest, usersSlug: string): Scope => {
  const scope = consultationReadScope(req, usersSlug)
  return getRole(req.user) === 'patient' ? 'deny' : scope
}

export const scopeToAccess = (scope: Scope): boolean | Where =>
  scope === 'everything' ? true : scope === 'deny' ? false : scope

/** A doctor never assigns a consultation to another doctor. */
const keepsDoctor = (req: PayloadRequest, data: unknown): boolean =>
  getRole(req.user) !== 'doctor' ||
  (data as { doctor?: unknown } | undefined)?.doctor === undefined ||
  sameID((data as { doctor?: unknown }).doctor, req.user?.id)

/** Access for the `consultations` collection; every key explicit, deny by default. */
export const getConsultationsAccess = ({
  slugs,
}: SanitizedDermaImagesPluginConfig): NonNullable<CollectionConfig['access']> => {
  const onlyAdmins = ({ req }: { req: PayloadRequest }): boolean => consultationReadScope(req, slugs.users) === 'everything'
  return {
    admin: onlyAdmins,
    create: ({ data, req }) =>
      consultationWriteScope(req, slugs.users) !== 'deny' && keepsDoctor(req, data),
    delete: ({ req }) => scopeToAccess(consultationWriteScope(req, slugs.users)),
    read: ({ req }) => scopeToAccess(consultationReadScope(req, slugs.users)),
    readVersions: onlyAdmins,
    unlock: onlyAdmins,
    update: ({ data, req }) =>
      keepsDoctor(req, data) && scopeToAccess(consultationWriteScope(req, slugs.users)),
  }
}
