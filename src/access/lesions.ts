import type { CollectionConfig, PayloadRequest, Where } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { asAuditSystem } from '../audit/writeEvents.js'
import { getRole, getUserOf, toID } from './roles.js'

type Slugs = SanitizedDermaImagesPluginConfig['slugs']

/** Matches no document: `id` always exists. An empty `in` list is not a portable query. */
const nothing: Where = { id: { exists: false } }

/**
 * The doctor's patients, read once per request: a lesion request checks access several times
 * (read, update, delete, the document permissions, the hooks' own reads), each of which would
 * otherwise repeat the same query. Keyed on the request object (which the Local API calls made
 * with `req` share) and the user, so the next request reads again and a reassigned consultation
 * applies at once.
 */
const patientsPerRequest = new WeakMap<PayloadRequest, Map<string, Promise<(number | string)[]>>>()

const readDoctorPatientIDs = async (req: PayloadRequest, slugs: Slugs, doctor: number | string): Promise<(number | string)[]> => {
  const { docs } = await req.payload.find({
    collection: slugs.consultations,
    depth: 0,
    overrideAccess: false,
    pagination: false,
    // An access check, not the doctor reading their consultations: not audited as reads.
    ...asAuditSystem(req),
    select: { patient: true } as never,
    where: { doctor: { equals: doctor } },
  })
  const ids = docs.flatMap((doc) => {
    const id = toID((doc as { patient?: unknown }).patient)
    return id === undefined ? [] : [id]
  })
  return [...new Set(ids)]
}

/**
 * The patients a doctor has at least one consultation with, read with the doctor's own access
 * (which already limits consultations to theirs) inside the request's transaction, once per
 * request. This is the "join" of lesion access: computed per request rather than denormalised
 * onto lesions, so a new or reassigned consultation changes what the doctor sees from the next
 * request on, with nothing to keep in sync.
 */
export const getDoctorPatientIDs = (req: PayloadRequest, slugs: Slugs): Promise<(number | string)[]> => {
  const user = getUserOf(req, slugs.users)
  if (getRole(user) !== 'doctor' || user?.id === undefined) {
    return Promise.resolve([])
  }
  const cache = patientsPerRequest.get(req) ?? new Map<string, Promise<(number | string)[]>>()
  patientsPerRequest.set(req, cache)
  const key = String(user.id)
  const cached = cache.get(key)
  if (cached) {
    return cached
  }
  const read = readDoctorPatientIDs(req, slugs, user.id)
  cache.set(key, read)
  // A failed read (e.g. an aborted transaction) is not remembered.
  read.catch(() => cache.delete(key))
  return read
}

/**
 * Which lesions a user may read: admins every one, a doctor those of patients they have a
 * consultation with, a patient their own; anyone else none.
 */
export const lesionReadScope = async (req: PayloadRequest, slugs: Slugs): Promise<boolean | Where> => {
  const user = getUserOf(req, slugs.users)
  switch (getRole(user)) {
    case 'admin':
      return true
    case 'doctor': {
      const patients = await getDoctorPatientIDs(req, slugs)
      return patients.length > 0 ? { patient: { in: patients } } : nothing
    }
    case 'patient':
      return { patient: { equals: user?.id } }
    default:
      return false
  }
}

/** A doctor may only name (create for, or move a lesion to) a patient they have a consultation with. */
const mayNamePatient = async (req: PayloadRequest, slugs: Slugs, data: unknown): Promise<boolean> => {
  const patient = toID((data as { patient?: unknown } | undefined)?.patient)
  if (getRole(req.user) !== 'doctor' || (data as { patient?: unknown } | undefined)?.patient === undefined) {
    return true
  }
  const patients = await getDoctorPatientIDs(req, slugs)
  return patient !== undefined && patients.some((id) => String(id) === String(patient))
}

/**
 * Access for the `lesions` collection; every key explicit, deny by default. Admins do everything;
 * a doctor creates lesions for, and reads and updates the lesions of, patients they have a
 * consultation with, and deletes only lesions they created; a patient reads their own.
 */
export const getLesionsAccess = ({ slugs }: SanitizedDermaImagesPluginConfig): NonNullable<CollectionConfig['access']> => {
  const onlyAdmins = ({ req }: { req: PayloadRequest }): boolean => getRole(getUserOf(req, slugs.users)) === 'admin'
  const isAdminOrDoctor = (req: PayloadRequest): boolean => {
    const role = getRole(getUserOf(req, slugs.users))
    return role === 'admin' || role === 'doctor'
  }
  return {
    admin: onlyAdmins,
    create: async ({ data, req }) => isAdminOrDoctor(req) && (await mayNamePatient(req, slugs, data)),
    delete: async ({ req }) => {
      if (!isAdminOrDoctor(req)) {
        return false
      }
      const scope = await lesionReadScope(req, slugs)
      return typeof scope === 'object' ? { and: [scope, { createdBy: { equals: req.user?.id } }] } : scope
    },
    read: ({ req }) => lesionReadScope(req, slugs),
    readVersions: onlyAdmins,
    unlock: onlyAdmins,
    update: async ({ data, req }) =>
      isAdminOrDoctor(req) && (await mayNamePatient(req, slugs, data)) ? lesionReadScope(req, slugs) : false,
  }
}
