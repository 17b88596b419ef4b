import type { PayloadRequest } from 'payload'

import { Forbidden, NotFound } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { consultationWriteScope } from '../access/consultations.js'

export type ConsultationDoc = { id: number }

/**
 * The consultation as the requesting user may see it, or a 404 — the same for one that does not
 * exist and one that is not theirs, so IDs reveal nothing. Only the ID is read unless `select`
 * names more fields.
 */
export const findReadableConsultation = async <T extends ConsultationDoc = ConsultationDoc>(
  req: PayloadRequest,
  { slugs }: SanitizedDermaImagesPluginConfig,
  id: number,
  select: Record<string, true> = { id: true },
): Promise<T> => {
  const { docs } = await req.payload.find({
    collection: slugs.consultations,
    depth: 0,
    // No join queries, no columns beyond those asked for (typed `never`: the slug is the host’s,
    // only known at run time).
    joins: false as never,
    limit: 1,
    overrideAccess: false,
    pagination: false,
    req,
    select: select as never,
    where: { id: { equals: id } },
  })
  const consultation = docs[0] as T | undefined
  if (!consultation) {
    throw new NotFound(req.t)
  }
  return consultation
}

/** A consultation the user may see but not change (a patient's own) answers 403, not 404. */
export const assertMayChangeConsultation = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  consultation: ConsultationDoc,
): Promise<void> => {
  const scope = consultationWriteScope(req, config.slugs.users)
  const allowed =
    scope === 'everything' ||
    (scope !== 'deny' &&
      (
        await req.payload.count({
          collection: config.slugs.consultations,
          overrideAccess: false,
          req,
          where: { and: [{ id: { equals: consultation.id } }, scope] },
        })
      ).totalDocs === 1)
  if (!allowed) {
    throw new Forbidden(req.t)
  }
}
