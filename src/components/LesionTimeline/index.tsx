import type { CollectionSlug, PayloadRequest, UIFieldServerProps } from 'payload'

import type { GalleryImage } from '../ConsultationGallery/api.js'
import type { ShareLinksOptions } from '../ShareLinks/index.client.js'

import { captureOrder, consultationID, timelinePageSize, toEntries } from './entries.js'
import { LesionTimeline } from './index.client.js'

type Props = { consultationsSlug: CollectionSlug; imagesSlug: CollectionSlug; shareLinks?: ShareLinksOptions } & UIFieldServerProps

type Read = { consultationsSlug: CollectionSlug; imagesSlug: CollectionSlug; req: PayloadRequest }

/**
 * Every image of the lesion, dates only, in capture order. The order (EXIF date, else upload
 * date) is not a column the database can sort on, so it is computed from this light read, and
 * the timeline then reads whole images a page at a time by ID.
 */
const readOrder = async ({ imagesSlug, req }: Read, lesion: number | string): Promise<number[]> => {
  const { docs } = await req.payload.find({
    collection: imagesSlug,
    depth: 0,
    overrideAccess: false,
    pagination: false,
    req,
    select: { capturedAt: true, createdAt: true } as never,
    where: { lesion: { equals: lesion } },
  })
  return captureOrder(docs)
}

/** One page of the timeline: the images of `ids` and their consultations' dates. */
const readPage = async ({ consultationsSlug, imagesSlug, req }: Read, ids: number[]) => {
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

/**
 * The lesion's images across consultations in capture order, read on the server with the viewer's
 * own access (a doctor sees the images of their own consultations only), each with its
 * consultation's date: the first page here, the next ones by the client ("Show more").
 */
export const LesionTimelineServer = async ({ consultationsSlug, id, imagesSlug, req, shareLinks }: Props) => {
  if (id === undefined) {
    return <LesionTimeline entries={[]} isSaved={false} order={[]} />
  }
  const read = { consultationsSlug, imagesSlug, req }
  const order = await readOrder(read, id)
  const first = order.slice(0, timelinePageSize)
  const entries = first.length > 0 ? await readPage(read, first) : []
  return <LesionTimeline consultationsSlug={consultationsSlug} entries={entries} imagesSlug={imagesSlug} isSaved order={order} shareLinks={shareLinks} />
}
