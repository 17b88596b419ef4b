import type { CollectionBeforeOperationHook, CollectionSlug, PayloadRequest, SanitizedCollectionConfig, Where } from 'payload'

import { combineQueries, executeAccess, validateQueryPaths } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { lockConsultations, lockConsultationOfImage } from '../db/postgres.js'

type UpdateArgs = {
  collection: { config: SanitizedCollectionConfig }
  data?: Record<string, unknown>
  id?: number | string
  overrideAccess?: boolean
  where?: Where
}

/**
 * The consultations of the images a bulk update (`PATCH /api/<images>?where=…`) will write: the
 * same `where`, combined with the user's update access exactly as Payload combines them, so that
 * a doctor's bulk PATCH never waits on (or holds up) another doctor's consultations. The `where`
 * is validated first, as Payload would, so a bad one still answers 400 instead of failing in SQL.
 */
const consultationsOfBulkUpdate = async (req: PayloadRequest, slug: string, args: UpdateArgs, where: Where): Promise<(number | string)[]> => {
  const collectionConfig = args.collection.config
  const access = args.overrideAccess ? true : await executeAccess({ data: args.data, req }, collectionConfig.access.update)
  await validateQueryPaths({ collectionConfig, overrideAccess: args.overrideAccess ?? false, req, where })
  // A system lookup, for the lock only (nothing read here is returned): the database adapter
  // itself, as Payload's own bulk update reads its documents, with the user's access applied above.
  const { docs } = await req.payload.db.find({
    collection: slug as CollectionSlug,
    limit: 0,
    pagination: false,
    req,
    select: { consultation: true },
    where: combineQueries(structuredClone(where), access),
  })
  const refs = docs.map((doc) => (doc as { consultation?: { id: number | string } | null | number | string }).consultation)
  return [...new Set(refs.flatMap((ref) => (ref === null || ref === undefined ? [] : [typeof ref === 'object' ? ref.id : ref])))]
}

/**
 * Payload reads the stored image and then writes every field back, so two concurrent PATCHes of
 * one image (one setting `description`, one `bodySite`) would each write the other's field back
 * as it was: a lost update. Locking the image's consultation before Payload reads the image (the
 * lock every writer of that consultation's images takes, so the order stays deadlock-free)
 * makes the second PATCH read what the first committed. A bulk update (`where`, no ID) reads all
 * its images first in the same way, so it locks all their consultations, in ID order (two bulk
 * updates over the same consultations listed in opposite orders cannot deadlock).
 */
export const getSerializeImageUpdatesHook =
  ({ slugs }: SanitizedDermaImagesPluginConfig): CollectionBeforeOperationHook =>
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the union merely includes the deprecated 'read'
  async ({ args, operation, req }) => {
    if (operation !== 'update') {
      return args
    }
    const update = args as UpdateArgs
    if (update.id !== undefined) {
      await lockConsultationOfImage(req, slugs, update.id)
    } else if (update.where) {
      await lockConsultations(req, slugs, await consultationsOfBulkUpdate(req, slugs.consultationImages, update, update.where))
    }
    return args
  }
