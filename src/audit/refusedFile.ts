import type { PayloadRequest } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { AuditEvent } from './writeEvents.js'

import { isStoredFilename } from '../storage/names.js'
import { withoutQueryParams } from '../utilities/withoutQueryParams.js'
import { asAuditSystem, idOf } from './writeEvents.js'

/** The image whose original or derivative is stored as `filename`, whoever may read it. */
const findImageByFilename = async (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig, filename: string) => {
  const collection = config.slugs.consultationImages
  const sizeNames = config.imageSizes.map(({ name }) => name)
  const { docs } = await req.payload.find({
    collection,
    depth: 0,
    limit: 1,
    // A system look-up: the user was refused the file, the trail still names whose it is.
    overrideAccess: true,
    pagination: false,
    ...asAuditSystem(req),
    select: { consultation: true } as never,
    where: { or: [{ filename: { equals: filename } }, ...sizeNames.map((name) => ({ [`sizes.${name}.filename`]: { equals: filename } }))] },
  })
  return docs[0] as { consultation?: unknown; id: number | string } | undefined
}

/**
 * The `denied` event of a refused file by its stored name: like other refusals it names the
 * image and its consultation (whose patient the insert adds), found by a system look-up of the
 * name, so the patient sees in their own list that someone tried. A name that is not one the
 * server makes, or that no image has, names no document. A failed look-up is logged and the
 * refusal recorded without a document.
 */
export const refusedFileEvent = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  filename: string,
  status: number,
): Promise<AuditEvent> => {
  const event: AuditEvent = { action: 'denied', channel: 'file', documentCollection: config.slugs.consultationImages, status }
  if (!isStoredFilename(filename)) {
    return event
  }
  try {
    const image = await findImageByFilename(req, config, filename)
    return image ? { ...event, consultation: idOf(image.consultation), documentId: idOf(image.id) } : event
  } catch (err) {
    req.payload.logger.error({ err: withoutQueryParams(err), msg: 'payload-derma-images: the image of a refused file could not be looked up' })
    return event
  }
}
