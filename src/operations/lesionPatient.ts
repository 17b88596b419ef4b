import type { CollectionSlug, PayloadRequest } from 'payload'

import { toID } from '../access/roles.js'

/**
 * The patient a lesion or a consultation belongs to, read as the system (the caller's own access
 * was checked by Payload already: this is an integrity check between two documents), inside the
 * request's transaction. `undefined` when the document does not exist.
 */
export const findPatientOf = async (
  req: PayloadRequest,
  collection: CollectionSlug,
  id: number | string,
): Promise<number | string | undefined> => {
  // System read: the integrity rule must hold whoever writes, so it sees both documents.
  const { docs } = await req.payload.find({
    collection,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    select: { patient: true } as never,
    where: { id: { equals: id } },
  })
  return toID((docs[0] as { patient?: unknown } | undefined)?.patient)
}
