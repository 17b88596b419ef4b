import type { GalleryImage } from '../ConsultationGallery/api.js'

/** Images per timeline page: a few visits' photos. */
export const timelinePageSize = 24

export type TimelineConsultation = { date: null | string; id: number; reason: null | string }

export type TimelineEntry = { consultation: null | TimelineConsultation; image: GalleryImage }

type Dated = { capturedAt?: null | string; createdAt: string; id: number }

/** Capture order: the camera's date (EXIF), else the upload date; the ID breaks ties. */
export const captureTime = (image: Pick<Dated, 'capturedAt' | 'createdAt'>): number => Date.parse(image.capturedAt ?? image.createdAt)

/** Every image's ID in capture order, from their dates alone. */
export const captureOrder = (images: Dated[]): number[] =>
  [...images].sort((a, b) => captureTime(a) - captureTime(b) || a.id - b.id).map((image) => image.id)

/** The images of one page put in `ids`' order, each with its consultation's date and reason. */
export const toEntries = (
  ids: number[],
  images: (GalleryImage & { consultation?: unknown })[],
  consultations: TimelineConsultation[],
): TimelineEntry[] => {
  const imagesByID = new Map(images.map((image) => [image.id, image]))
  const consultationsByID = new Map(consultations.map((consultation) => [String(consultation.id), consultation]))
  return ids.flatMap((id) => {
    const image = imagesByID.get(id)
    if (!image) {
      // Deleted since the timeline was opened, or no longer readable: left out.
      return []
    }
    const consultation = consultationsByID.get(String(consultationID(image)))
    return [
      {
        consultation: consultation ? { date: consultation.date ?? null, id: consultation.id, reason: consultation.reason ?? null } : null,
        image,
      },
    ]
  })
}

/** The image's consultation ID (depth 0: the ID itself). */
export const consultationID = (image: { consultation?: unknown }): number | string | undefined => {
  const value = image.consultation
  if (typeof value === 'number' || typeof value === 'string') {
    return value
  }
  return (value as { id?: number } | null | undefined)?.id
}
