import type { CollectionConfig, PayloadRequest, Where } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { getRole, getUserOf, toID } from './roles.js'

type Slugs = SanitizedDermaImagesPluginConfig['slugs']

type Target = { consultation?: unknown; lesion?: unknown }

/**
 * May the user share this target? A consultation: its own doctor (admins any). A lesion: a doctor
 * who may read it, i.e. one with a consultation with its patient, which is exactly the lesions
 * collection's own read access (`src/access/lesions.ts`), asked through the Local API with the
 * user's access. A request naming no target or both passes here and gets its 400 from validation.
 */
export const maySharePatientRecord = async (req: PayloadRequest, slugs: Slugs, data: Target | undefined): Promise<boolean> => {
  const role = getRole(getUserOf(req, slugs.users))
  if (role === 'admin') {
    return true
  }
  if (role !== 'doctor') {
    return false
  }
  const consultation = toID(data?.consultation)
  const lesion = toID(data?.lesion)
  if ((consultation === undefined) === (lesion === undefined)) {
    return true
  }
  const { totalDocs } =
    consultation === undefined
      ? await req.payload.count({ collection: slugs.lesions, overrideAccess: false, req, where: { id: { equals: lesion } } })
      : await req.payload.count({
          collection: slugs.consultations,
          overrideAccess: false,
          req,
          where: { and: [{ id: { equals: consultation } }, { doctor: { equals: req.user?.id } }] },
        })
  return totalDocs > 0
}

/** Matches no document: `id` always exists. */
const nothing: Where = { id: { exists: false } }

/**
 * Admins every link; a doctor the links they created; a patient none (a `Where` matching nothing,
 * so their reads answer an empty list or 404 like any document not theirs); anonymous users none.
 */
export const shareLinkReadScope = (req: PayloadRequest, slugs: Slugs): boolean | Where => {
  const user = getUserOf(req, slugs.users)
  switch (getRole(user)) {
    case 'admin':
      return true
    case 'doctor':
      return { createdBy: { equals: user?.id } }
    case 'patient':
      return nothing
    default:
      return false
  }
}

/** Who may revoke: admins every link, a doctor their own; nobody else. */
const shareLinkWriteScope = (req: PayloadRequest, slugs: Slugs): boolean | Where =>
  getRole(getUserOf(req, slugs.users)) === 'patient' ? false : shareLinkReadScope(req, slugs)

/**
 * Access for `share-links`; every key explicit, deny by default. Admins and the doctor who may
 * share the target create; creators and admins read and update (the collection's hooks allow
 * only revocation); patients nothing (the audit trail tells them when a link about them was
 * created and opened). Nobody deletes: the audit trail refers to links by ID, and a revoked link
 * keeps who made it, for whom and until when; revocation is the way to end one.
 */
export const getShareLinksAccess = ({ slugs }: SanitizedDermaImagesPluginConfig): NonNullable<CollectionConfig['access']> => {
  const onlyAdmins = ({ req }: { req: PayloadRequest }): boolean => getRole(getUserOf(req, slugs.users)) === 'admin'
  return {
    admin: onlyAdmins,
    create: ({ data, req }) => maySharePatientRecord(req, slugs, data as Target | undefined),
    delete: () => false,
    read: ({ req }) => shareLinkReadScope(req, slugs),
    readVersions: onlyAdmins,
    unlock: onlyAdmins,
    update: ({ req }) => shareLinkWriteScope(req, slugs),
  }
}
