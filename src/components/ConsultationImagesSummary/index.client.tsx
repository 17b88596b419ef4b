'use client'

import { useConfig, useTranslation } from '@payloadcms/ui'
import React, { useCallback, useRef, useState } from 'react'

import type { ImagesTally } from '../../operations/consultationViewImages.js'
import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'

import { getAcquisitionType } from '../../vocabulary/acquisition.js'
import { useImagesChanged } from '../ConsultationGallery/imagesChanged.js'
import { vocabularyLocale } from '../ConsultationGallery/labels.js'
import './index.scss'

const baseClass = 'derma-images-summary'

/** As many as the server reads (viewImagesLimit); the count itself is the list's `totalDocs`. */
const tallyLimit = 500

type Props = { consultation: number | string; imagesSlug: string; initialTally: ImagesTally }

/**
 * The sidebar's counter: rendered from the server's read, then read again (kinds and dates only)
 * each time the gallery announces a change, so an upload or a delete shows without a reload.
 */
export const ConsultationImagesSummaryClient = ({ consultation, imagesSlug, initialTally }: Props) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const { config } = useConfig()
  const [tally, setTally] = useState(initialTally)
  const generation = useRef(0)
  const refresh = useCallback(async () => {
    const current = ++generation.current
    const query = new URLSearchParams({
      depth: '0',
      limit: String(tallyLimit),
      'select[acquisition]': 'true',
      'select[capturedAt]': 'true',
      'where[consultation][equals]': String(consultation),
    })
    const response = await fetch(`${config.serverURL}${config.routes.api}/${imagesSlug}?${query.toString()}`, {
      credentials: 'include',
    })
    if (!response.ok || current !== generation.current) {
      // The last good tally stays; the gallery shows the error of the change itself.
      return
    }
    const body = (await response.json()) as { docs: ImagesTally['images']; totalDocs: number }
    if (current === generation.current) {
      setTally({ images: body.docs, totalDocs: body.totalDocs })
    }
  }, [config.routes.api, config.serverURL, consultation, imagesSlug])
  useImagesChanged(consultation, () => void refresh().catch(() => undefined))

  const locale = vocabularyLocale(i18n.language)
  const byKind = new Map<string, number>()
  for (const image of tally.images) {
    const label = getAcquisitionType(image.acquisition ?? undefined)?.label[locale] ?? '—'
    byKind.set(label, (byKind.get(label) ?? 0) + 1)
  }
  const dates = tally.images.flatMap((image) => (image.capturedAt ? [new Date(image.capturedAt)] : [])).sort((a, b) => +a - +b)
  const format = (date: Date) => date.toLocaleDateString(i18n.language, { dateStyle: 'medium' })
  const first = dates[0]
  const last = dates.at(-1)
  return (
    <div className={baseClass}>
      <p className={`${baseClass}__count`}>{t('plugin-derma-images:count', { count: tally.totalDocs })}</p>
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
