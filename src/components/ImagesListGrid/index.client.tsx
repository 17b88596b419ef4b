'use client'

import { Button, useConfig, useListQuery, usePreferences, useTranslation } from '@payloadcms/ui'
import Link from 'next/link'
import React, { useEffect, useState } from 'react'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { GalleryImage } from '../ConsultationGallery/api.js'

import { acquisitionLabel, bodySiteLabel, captureDateLabel, imageAlt, vocabularyLocale } from '../ConsultationGallery/labels.js'
import './index.scss'

const baseClass = 'derma-list-grid'
const preferenceKey = 'derma-images-list-layout'

type Layout = 'grid' | 'table'

/**
 * Above the `consultation-images` list: a table / thumbnail-grid switch (remembered in the user's
 * Payload preferences) and, in grid mode, the current page of the list as thumbnails.
 */
export const ImagesListGrid = ({ collectionSlug }: { collectionSlug: string }) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const { config } = useConfig()
  const { data } = useListQuery()
  const { getPreference, setPreference } = usePreferences()
  const [layout, setLayout] = useState<Layout>('table')
  useEffect(() => {
    void getPreference<Layout>(preferenceKey).then((stored) => {
      if (stored === 'grid') {
        setLayout('grid')
      }
    })
  }, [getPreference])
  const choose = (next: Layout) => {
    setLayout(next)
    void setPreference(preferenceKey, next)
  }
  const locale = vocabularyLocale(i18n.language)
  const images = (data?.docs ?? []) as GalleryImage[]
  return (
    <div className={`${baseClass}${layout === 'grid' ? ` ${baseClass}--active` : ''}`}>
      <div className={`${baseClass}__switch`} role="group">
        {(['table', 'grid'] as const).map((value) => (
          <Button
            buttonStyle={layout === value ? 'primary' : 'secondary'}
            extraButtonProps={{ 'aria-pressed': layout === value }}
            key={value}
            margin={false}
            onClick={() => {
              choose(value)
            }}
            size="small"
          >
            {t(value === 'grid' ? 'plugin-derma-images:gridView' : 'plugin-derma-images:tableView')}
          </Button>
        ))}
      </div>
      {layout === 'grid' ? (
        <ul className={`${baseClass}__grid`}>
          {images.map((image) => (
            <li key={image.id}>
              <Link href={`${config.routes.admin}/collections/${collectionSlug}/${image.id}`}>
                <img
                  alt={imageAlt(image, locale, i18n.language)}
                  decoding="async"
                  height={image.sizes?.thumbnail?.height ?? 300}
                  loading="lazy"
                  src={image.sizes?.thumbnail?.url ?? undefined}
                  width={image.sizes?.thumbnail?.width ?? 300}
                />
                <span className={`${baseClass}__site`}>{bodySiteLabel(image, locale) ?? t('plugin-derma-images:noValue')}</span>
                <span className={`${baseClass}__details`}>
                  {acquisitionLabel(image, locale)} · {captureDateLabel(image, i18n.language)}
                  {image.isPrimary ? ` · ${t('plugin-derma-images:primary')}` : ''}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
