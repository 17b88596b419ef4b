import type { GalleryImage } from '../ConsultationGallery/api.js'
import type { TimelineConsultation, TimelineEntry } from './entries.js'

import { errorMessage } from '../ConsultationGallery/api.js'
import { consultationID, toEntries } from './entries.js'

export type TimelineApi = { api: string; consultations: string; images: string }

/** `where[id][in][0]=…&where[id][in][1]=…`: Payload's REST query string for an `in` list. */
const idsQuery = (ids: (number | string)[], extra: Record<string, string>): string => {
  const query = new URLSearchParams({ depth: '0', limit: String(ids.length), ...extra })
  ids.forEach((id, index) => {
    query.append(`where[id][in][${index}]`, String(id))
  })
  return query.toString()
}

const getDocs = async <T>(url: string): Promise<T[]> => {
  const response = await fetch(url, { credentials: 'include' })
  const body: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    throw new Error(errorMessage(body, `${response.status} ${response.statusText}`))
  }
  return (body as { docs: T[] }).docs
}

/**
 * The timeline page of `ids` (already in capture order) through Payload's own REST lists, with
 * the viewer's access: the images, then their consultations' dates.
 */
export const fetchTimelinePage = async (target: TimelineApi, ids: number[]): Promise<TimelineEntry[]> => {
  const images = await getDocs<GalleryImage & { consultation?: unknown }>(`${target.api}/${target.images}?${idsQuery(ids, {})}`)
  const consultationIDs = [...new Set(images.flatMap((image) => consultationID(image) ?? []))]
  const consultations =
    consultationIDs.length === 0
      ? []
      : await getDocs<TimelineConsultation>(
          `${target.api}/${target.consultations}?${idsQuery(consultationIDs, { 'select[date]': 'true', 'select[reason]': 'true' })}`,
        )
  return toEntries(ids, images, consultations)
}
