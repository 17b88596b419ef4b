import type { PayloadRequest } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

/**
 * Brings a consultation's derived state in line with its images, inside the request's
 * transaction (the caller holds the consultation's row lock): `imagesTaken` is true exactly when
 * it has images, and when it has images one of them is primary (the earliest, if none is).
 */
export const syncConsultationImages = async (
  req: PayloadRequest,
  { slugs }: SanitizedDermaImagesPluginConfig,
  consultationID: number | string,
): Promise<void> => {
  // System upkeep of read-only, derived fields: runs after the user's own operation was
  // authorised, and must see every image of the consultation whoever triggered it.
  const { docs: images } = await req.payload.find({
    collection: slugs.consultationImages,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    req,
    select: { isPrimary: true },
    sort: ['-isPrimary', 'createdAt'],
    where: { consultation: { equals: consultationID } },
  })
  const first = images[0] as { id: number | string; isPrimary?: boolean | null } | undefined
  if (first && !first.isPrimary) {
    await req.payload.db.updateOne({
      collection: slugs.consultationImages,
      data: { isPrimary: true },
      id: first.id,
      req,
      returning: false,
    })
  }
  await setImagesTaken(req, slugs, consultationID, Boolean(first))
}

/** Sets a consultation's read-only `imagesTaken` flag, inside the request's transaction. */
export const setImagesTaken = async (
  req: PayloadRequest,
  slugs: SanitizedDermaImagesPluginConfig['slugs'],
  consultationID: number | string,
  imagesTaken: boolean,
): Promise<void> => {
  await req.payload.db.updateOne({
    collection: slugs.consultations,
    data: { imagesTaken },
    id: consultationID,
    req,
    returning: false,
  })
}
