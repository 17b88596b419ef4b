import type { CollectionSlug, UIFieldServerProps } from 'payload'

import type { ShareLinksOptions } from '../ShareLinks/index.client.js'

import { LesionTimeline } from './index.client.js'
import { readTimeline } from './read.js'

type Props = { consultationsSlug: CollectionSlug; imagesSlug: CollectionSlug; shareLinks?: ShareLinksOptions } & UIFieldServerProps

/**
 * The lesion's images across consultations in capture order, read on the server with the viewer's
 * own access (a doctor sees the images of their own consultations only), each with its
 * consultation's date: the first page here, the next ones by the client ("Show more").
 */
export const LesionTimelineServer = async ({ consultationsSlug, id, imagesSlug, req, shareLinks }: Props) => {
  if (id === undefined) {
    return <LesionTimeline entries={[]} isSaved={false} order={[]} />
  }
  const { entries, order } = await readTimeline({ consultationsSlug, imagesSlug, req }, id)
  return <LesionTimeline consultationsSlug={consultationsSlug} entries={entries} imagesSlug={imagesSlug} isSaved order={order} shareLinks={shareLinks} />
}
