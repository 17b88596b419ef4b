import type { CollectionSlug, PayloadRequest } from 'payload'

import type { GalleryImage } from '../ConsultationGallery/api.js'
import type { TimelineEntry } from './entries.js'

import { asAuditSystem } from '../../audit/writeEvents.js'
import { captureOrder, consultationID, timelinePageSize, toEntries } from './entries.js'

export type TimelineRead = { consultationsSlug: CollectionSlug; imagesSlug: CollectionSlug; req: PayloadRequest }

/**
 * Every image of the lesion the viewer may read, dates only, in capture order. The order (EXIF
 * date, else upload date) is not a column the database can sort on, so it is computed from this
 * light read, and the timeline then reads whole images a page at a time by ID. The read runs
 * with the viewer's access but is not recorded as their reading every image: it returns no image
 * to them, only the order of IDs; each page records the images it shows (its own read of them).
 */
const readOrder = async ({ imagesSlug, req }: TimelineRead, lesion: number | string): Promise<number[]> => {
  const { docs } = await req.payload.find({
    collection: imagesSlug,
    depth: 0,
    overrideAccess: false,
    pagination: false,
    ...asAuditSystem(req),
    select: { capturedAt: true, createdAt: true } as never,
    where: { lesion: { equals: lesion } },
  })
  return captureOrder(docs)
}

/** One page of the timeline: the images of `ids` and their consultations' dates, read (and recorded) as the viewer's. */
const readPage = async ({ consultationsSlug, imagesSlug, req }: TimelineRead, ids: number[]): Promise<TimelineEntry[]> => {
  const { docs } = await req.payload.find({
    collection: imagesSlug,
    depth: 0,
    limit: ids.length,
    overrideAccess: false,
    req,
    where: { id: { in: ids } },
  })
  const images = JSON.parse(JSON.stringify(docs)) as (GalleryImage & { consultation?: unknown })[]
  const { docs: consultations } = await req.payload.find({
    collection: consultationsSlug,
    depth: 0,
    overrideAccess: false,
    pagination: false,
    req,
    select: { date: true, reason: true } as never,
    where: { id: { in: [...new Set(images.flatMap((image) => consultationID(image) ?? []))] } },
  })
  return toEntries(ids, images, consultations)
}

/** The lesion's capture order and the timeline's first page, with the viewer's own access. */
export const readTimeline = async (read: TimelineRead, lesion: number | string): Promise<{ entries: TimelineEntry[]; order: number[] }> => {
  const order = await readOrder(read, lesion)
  const first = order.slice(0, timelinePageSize)
  return { entries: first.length > 0 ? await readPage(read, first) : [], order }
}
