'use client'

import { Button, CheckboxInput, useConfig, useDrawerSlug, useModal, useTranslation } from '@payloadcms/ui'
import React, { useState } from 'react'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { GalleryImage } from '../ConsultationGallery/api.js'
import type { ShareLinksOptions } from '../ShareLinks/index.client.js'
import type { TimelineEntry } from './entries.js'

import { imageRoles } from '../../vocabulary/lesions.js'
import { CompareDrawer } from '../ConsultationGallery/CompareDrawer.js'
import { ShareLinksButton } from '../ShareLinks/index.client.js'
import { bodySiteLabel, captureDateLabel, imageAlt, vocabularyLocale } from '../ConsultationGallery/labels.js'
import { fetchTimelinePage } from './api.js'
import { timelinePageSize } from './entries.js'
import '../ConsultationGallery/index.scss'
import './index.scss'

const baseClass = 'derma-lesion-timeline'

export type { TimelineEntry } from './entries.js'

type Props = {
  consultationsSlug?: string
  /** The first page, read on the server. */
  entries: TimelineEntry[]
  imagesSlug?: string
  isSaved: boolean
  /** Every image's ID in capture order: the pages after the first are read from it. */
  order: number[]
  /** The share-link options; the "Share for second opinion" button is shown when given. */
  shareLinks?: ShareLinksOptions
}

/**
 * The lesion's images in capture order (thumbnails only), a page at a time; tick any two, on
 * whichever pages, to compare them.
 */
export const LesionTimeline = ({ consultationsSlug, entries: firstPage, imagesSlug, isSaved, order, shareLinks }: Props) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const { config } = useConfig()
  const { openModal } = useModal()
  const compareSlug = useDrawerSlug('derma-lesion-compare')
  const [entries, setEntries] = useState(firstPage)
  const [shown, setShown] = useState(Math.min(order.length, timelinePageSize))
  const [isLoading, setIsLoading] = useState(false)
  const [error, setError] = useState<string>()
  // The images themselves, not their IDs: a selection needs nothing re-read to be compared.
  const [selected, setSelected] = useState<GalleryImage[]>([])
  const locale = vocabularyLocale(i18n.language)
  if (!isSaved) {
    return <p className="derma-gallery__empty">{t('plugin-derma-images:timelineSaveFirst')}</p>
  }
  const isSelected = (image: GalleryImage) => selected.some((other) => other.id === image.id)
  const toggle = (image: GalleryImage) => {
    setSelected((current) =>
      current.some((other) => other.id === image.id) ? current.filter((other) => other.id !== image.id) : [...current, image].slice(-2),
    )
  }
  const loadMore = async () => {
    const ids = order.slice(shown, shown + timelinePageSize)
    setIsLoading(true)
    setError(undefined)
    try {
      const page = await fetchTimelinePage(
        { api: `${config.serverURL}${config.routes.api}`, consultations: consultationsSlug ?? '', images: imagesSlug ?? '' },
        ids,
      )
      setEntries((current) => [...current, ...page])
      setShown((current) => current + ids.length)
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure))
    } finally {
      setIsLoading(false)
    }
  }
  const roleLabel = (image: GalleryImage) => imageRoles.find((role) => role.value === image.role)?.label[locale]
  return (
    <div className={baseClass}>
      <div className={`${baseClass}__header`}>
        <h3>{t('plugin-derma-images:count', { count: order.length })}</h3>
        <Button
          buttonStyle="secondary"
          disabled={selected.length !== 2}
          margin={false}
          onClick={() => { openModal(compareSlug) }}
          size="small"
          tooltip={selected.length === 2 ? undefined : t('plugin-derma-images:compareHint')}
        >
          {t('plugin-derma-images:compareSelected')}
        </Button>
        {shareLinks ? <ShareLinksButton kind="lesion" options={shareLinks} /> : null}
      </div>
      {order.length === 0 ? <p className="derma-gallery__empty">{t('plugin-derma-images:timelineEmpty')}</p> : null}
      <ol className={`${baseClass}__list`}>
        {entries.map(({ consultation, image }) => (
          <li className={`${baseClass}__entry`} data-image-id={image.id} key={image.id}>
            <img
              alt={imageAlt(image, locale, i18n.language)}
              height={150}
              loading="lazy"
              src={image.sizes?.thumbnail?.url ?? undefined}
              width={150}
            />
            <div className={`${baseClass}__details`}>
              <strong className={`${baseClass}__date`}>{captureDateLabel(image, i18n.language)}</strong>
              <span className={`${baseClass}__role`}>{roleLabel(image) ?? t('plugin-derma-images:noValue')}</span>
              <span>{bodySiteLabel(image, locale) ?? t('plugin-derma-images:noValue')}</span>
              {consultation ? (
                <a
                  className={`${baseClass}__consultation`}
                  href={`${config.routes.admin}/collections/${consultationsSlug}/${consultation.id}`}
                >
                  {t('plugin-derma-images:timelineConsultation', {
                    date: consultation.date ? new Date(consultation.date).toLocaleDateString(i18n.language, { dateStyle: 'medium' }) : '',
                  })}
                </a>
              ) : null}
              <CheckboxInput
                checked={isSelected(image)}
                id={`${baseClass}-select-${image.id}`}
                label={t('plugin-derma-images:compare')}
                name={`select-${image.id}`}
                onToggle={() => { toggle(image) }}
              />
            </div>
          </li>
        ))}
      </ol>
      {error ? <p className="derma-gallery__error">{`${t('plugin-derma-images:loadError')} ${error}`}</p> : null}
      {shown < order.length ? (
        <Button buttonStyle="secondary" disabled={isLoading} onClick={() => void loadMore()}>
          {t('plugin-derma-images:loadMore', { count: order.length - shown })}
        </Button>
      ) : null}
      <CompareDrawer drawerSlug={compareSlug} images={selected} />
    </div>
  )
}
