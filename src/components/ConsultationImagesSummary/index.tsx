import type { CollectionSlug, UIFieldServerProps } from 'payload'

import { imagesTally } from '../../operations/consultationViewImages.js'
import { ConsultationImagesSummaryClient } from './index.client.js'

type Props = { imagesSlug: CollectionSlug } & UIFieldServerProps

/**
 * The consultation's image counter in the edit view's sidebar: how many photos it has, of which
 * kinds and over which capture dates — read with the viewer's own access, in the same query as
 * the gallery's first page (see readConsultationViewImages).
 */
export const ConsultationImagesSummary = async ({ id, imagesSlug, req }: Props) => {
  if (id === undefined) {
    return null
  }
  const tally = await imagesTally({ consultation: id, imagesSlug, req })
  return <ConsultationImagesSummaryClient consultation={id} imagesSlug={imagesSlug} initialTally={tally} />
}
