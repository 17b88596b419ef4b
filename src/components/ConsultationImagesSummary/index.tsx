import type { CollectionSlug, UIFieldServerProps } from 'payload'

import type { ConsultationImageDoc } from '../../types.js'

import { getAcquisitionType } from '../../vocabulary/acquisition.js'
import './index.scss'

const baseClass = 'derma-images-summary'

type Props = { imagesSlug: CollectionSlug } & UIFieldServerProps

/**
 * The consultation's image counter in the edit view's sidebar: how many photos it has, of which
 * kinds and over which capture dates — read with the viewer's own access.
 */
export const ConsultationImagesSummary = async ({ i18n, id, imagesSlug, req }: Props) => {
  if (id === undefined) {
    return null
  }
  const { docs, totalDocs } = await req.payload.find({
    collection: imagesSlug,
    depth: 0,
    limit: 500,
    overrideAccess: false,
    pagination: false,
    req,
    select: { acquisition: true, capturedAt: true },
    where: { consultation: { equals: id } },
  })
  const images = docs as unknown as (ConsultationImageDoc & { acquisition?: string })[]
  const locale = i18n.language === 'fr' ? 'fr' : 'en'
  const byKind = new Map<string, number>()
  for (const image of images) {
    const label = getAcquisitionType(image.acquisition)?.label[locale] ?? '—'
    byKind.set(label, (byKind.get(label) ?? 0) + 1)
  }
  const dates = images.flatMap((image) => (image.capturedAt ? [new Date(image.capturedAt)] : [])).sort((a, b) => +a - +b)
  const format = (date: Date) => date.toLocaleDateString(i18n.language, { dateStyle: 'medium' })
  const first = dates[0]
  const last = dates.at(-1)
  return (
    <div className={baseClass}>
      <p className={`${baseClass}__count`}>
        {totalDocs} {locale === 'fr' ? (totalDocs > 1 ? 'images' : 'image') : totalDocs === 1 ? 'image' : 'images'}
      </p>
      <ul className={`${baseClass}__kinds`}>
        {[...byKind].map(([label, count]) => (
          <li key={label}>
            {label}: {count}
          </li>
        ))}
      </ul>
      {first && last ? (
        <p className={`${baseClass}__dates`}>
          {format(first)}
          {+first === +last ? '' : ` – ${format(last)}`}
        </p>
      ) : null}
    </div>
  )
}
