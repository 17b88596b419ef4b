import type { CollectionConfig, PayloadRequest, Where } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { consultationReadScope, consultationWriteScope, scopeToAccess } from './consultations.js'
import { toID } from './roles.js'

/** Moves a consultation scope onto images: `{ doctor: … }` becomes `{ 'consultation.doctor': … }`. */
const throughConsultation = (scope: ReturnType<typeof consultationReadScope>) =>
  typeof scope === 'object'
    ? Object.fromEntries(Object.entries(scope).map(([path, value]) => [`consultation.${path}`, value]))
    : scope

/**
 * True when the user may attach images to this consultation: an admin any, a doctor only one
 * they run. Checked with the user's own access, inside the request's transaction.
 */
const canWriteToConsultation = async (
  req: PayloadRequest,
  { slugs }: SanitizedDermaImagesPluginConfig,
  consultation: unknown,
): Promise<boolean> => {
  const scope = consultationWriteScope(req, slugs.users)
  const id = toID(consultation)
  if (scope === 'deny' || id === undefined) {
    return false
  }
  const where: Where = scope === 'everything' ? { id: { equals: id } } : { and: [{ id: { equals: id } }, scope] }
  const { totalDocs } = await req.payload.count({
    collection: slugs.consultations,
    overrideAccess: false,
    req,
    where,
  })
  return totalDocs === 1
}

/**
 * Access for `consultation-images`; every key explicit, deny by default. An image is visible to
 * whoever sees its consultation and writable by whoever may change it; on create and update the
 * target consultation is checked too, so no one moves an image into a consultation not theirs.
 */
export const getConsultationImagesAccess = (
  config: SanitizedDermaImagesPluginConfig,
): NonNullable<CollectionConfig['access']> => {
  const { slugs } = config
  const onlyAdmins = ({ req }: { req: PayloadRequest }): boolean => consultationReadScope(req, slugs.users) === 'everything'
  const targetAllowed = async (req: PayloadRequest, data: unknown): Promise<boolean> => {
    const target = (data as { consultation?: unknown } | undefined)?.consultation
    return target === undefined || (await canWriteToConsultation(req, config, target))
  }
  return {
    admin: onlyAdmins,
    create: async ({ data, req }) =>
      consultationWriteScope(req, slugs.users) !== 'deny' && (await targetAllowed(req, data)),
    delete: ({ req }) => scopeToAccess(throughConsultation(consultationWriteScope(req, slugs.users))),
    read: ({ req }) => scopeToAccess(throughConsultation(consultationReadScope(req, slugs.users))),
    readVersions: onlyAdmins,
    unlock: onlyAdmins,
    update: async ({ data, req }) =>
      (await targetAllowed(req, data)) &&
      scopeToAccess(throughConsultation(consultationWriteScope(req, slugs.users))),
  }
}
