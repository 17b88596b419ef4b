'use client'

import { Button, CheckboxInput, useConfig, useDrawerSlug, useModal, useTranslation } from '@payloadcms/ui'
import React, { useState } from 'react'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { GalleryImage } from '../ConsultationGallery/api.js'
import type { ShareLinksOptions } from '../ShareLinks/index.client.js'

import { imageRoles } from '../../vocabulary/lesions.js'
import { CompareDrawer } from '../ConsultationGallery/CompareDrawer.js'
import { ShareLinksButton } from '../ShareLinks/index.client.js'
import { bodySiteLabel, captureDateLabel, imageAlt, vocabularyLocale } from '../ConsultationGallery/labels.js'
import '../ConsultationGallery/index.scss'
import './index.scss'

const baseClass = 'derma-lesion-timeline'

export type TimelineEntry = {
  consultation: { date: null | string; id: number; reason: null | string } | null
  image: GalleryImage
}

type Props = { consultationsSlug?: string; entries: TimelineEntry[]; isSaved: boolean; shareLinks?: ShareLinksOptions }

/** The lesion's images in capture order (thumbnails only); tick two to compare them. */
export const LesionTimeline = ({ consultationsSlug, entries, isSaved, shareLinks }: Props) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const { config } = useConfig()
  const { openModal } = useModal()
  const compareSlug = useDrawerSlug('derma-lesion-compare')
  const [selected, setSelected] = useState<number[]>([])
  const locale = vocabularyLocale(i18n.language)
  if (!isSaved) {
    return <p className="derma-gallery__empty">{t('plugin-derma-images:timelineSaveFirst')}</p>
  }
  const toggle = (id: number) => {
    setSelected((current) => (current.includes(id) ? current.filter((other) => other !== id) : [...current, id].slice(-2)))
  }
  const compared = entries.flatMap(({ image }) => (selected.includes(image.id) ? [image] : []))
  const roleLabel = (image: GalleryImage) => imageRoles.find((role) => role.value === image.role)?.label[locale]
  return (
    <div className={baseClass}>
      <div className={`${baseClass}__header`}>
        <h3>{t('plugin-derma-images:count', { count: entries.length })}</h3>
        <Button
          buttonStyle="secondary"
          disabled={compared.length !== 2}
          margin={false}
          onClick={() => { openModal(compareSlug) }}
          size="small"
          tooltip={compared.length === 2 ? undefined : t('plugin-derma-images:compareHint')}
        >
          {t('plugin-derma-images:compareSelected')}
        </Button>
        {shareLinks ? <ShareLinksButton kind="lesion" options={shareLinks} /> : null}
      </div>
      {entries.length === 0 ? <p className="derma-gallery__empty">{t('plugin-derma-images:timelineEmpty')}</p> : null}
      <ol className={`${baseClass}__list`}>
        {entries.map(({ consultation, image }) => (
          <li className={`${baseClass}__entry`} key={image.id}>
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
                checked={selected.includes(image.id)}
                id={`${baseClass}-select-${image.id}`}
                label={t('plugin-derma-images:compare')}
                name={`select-${image.id}`}
                onToggle={() => { toggle(image.id) }}
              />
            </div>
          </li>
        ))}
      </ol>
      <CompareDrawer drawerSlug={compareSlug} images={compared} />
    </div>
  )
}
