import type { CollectionSlug, UIFieldServerProps } from 'payload'

import type { GalleryImage } from '../ConsultationGallery/api.js'
import type { ShareLinksOptions } from '../ShareLinks/index.client.js'
import type { TimelineEntry } from './index.client.js'

import { toID } from '../../access/roles.js'
import { LesionTimeline } from './index.client.js'

type Props = { consultationsSlug: CollectionSlug; imagesSlug: CollectionSlug; shareLinks?: ShareLinksOptions } & UIFieldServerProps

/** How many images a timeline shows: years of follow-up at a few photos a visit. */
const timelineLimit = 200

/** Capture order: the camera's date (EXIF), else the upload date. */
export const captureTime = (image: Pick<GalleryImage, 'capturedAt' | 'createdAt'>): number =>
  Date.parse(image.capturedAt ?? image.createdAt)

/**
 * The lesion's images across consultations in capture order, read on the server with the viewer's
 * own access (a doctor sees the images of their own consultations only), each with its
 * consultation's date.
 */
export const LesionTimelineServer = async ({ consultationsSlug, id, imagesSlug, req, shareLinks }: Props) => {
  if (id === undefined) {
    return <LesionTimeline entries={[]} isSaved={false} />
  }
  const { docs } = await req.payload.find({
    collection: imagesSlug,
    depth: 0,
    limit: timelineLimit,
    overrideAccess: false,
    req,
    sort: 'createdAt',
    where: { lesion: { equals: id } },
  })
  const images = JSON.parse(JSON.stringify(docs)) as (GalleryImage & { consultation?: unknown })[]
  const consultationIDs = [...new Set(images.flatMap((image) => toID(image.consultation) ?? []))]
  const { docs: consultations } = await req.payload.find({
    collection: consultationsSlug,
    depth: 0,
    overrideAccess: false,
    pagination: false,
    req,
    select: { date: true, reason: true } as never,
    where: { id: { in: consultationIDs } },
  })
  const byID = new Map(
    (consultations as { date?: string; id: number; reason?: null | string }[]).map((doc) => [String(doc.id), doc]),
  )
  const entries: TimelineEntry[] = images
    .sort((a, b) => captureTime(a) - captureTime(b))
    .map((image) => {
      const consultation = byID.get(String(toID(image.consultation)))
      return {
        consultation: consultation
          ? { date: consultation.date ?? null, id: consultation.id, reason: consultation.reason ?? null }
          : null,
        image,
      }
    })
  return <LesionTimeline consultationsSlug={consultationsSlug} entries={entries} isSaved shareLinks={shareLinks} />
}
