'use client'

import { useTranslation } from '@payloadcms/ui'
import React, { useMemo } from 'react'
import Lightbox from 'yet-another-react-lightbox'
import Captions from 'yet-another-react-lightbox/plugins/captions'
import Counter from 'yet-another-react-lightbox/plugins/counter'
import Download from 'yet-another-react-lightbox/plugins/download'
import Zoom from 'yet-another-react-lightbox/plugins/zoom'
import 'yet-another-react-lightbox/plugins/captions.css'
import 'yet-another-react-lightbox/plugins/counter.css'
import 'yet-another-react-lightbox/styles.css'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { GalleryImage } from './api.js'

import { acquisitionLabel, bodySiteLabel, captureDateLabel, vocabularyLocale } from './labels.js'
import { consentLabel } from './MetadataFieldsConsent.js'

type Props = {
  images: GalleryImage[]
  index: number
  onClose: () => void
  onView: (index: number) => void
}

/**
 * The images at `preview` size (never the original, which is only downloaded on request), with
 * zoom and pan, ←/→/Esc, and the clinical metadata under each.
 */
export const ImageLightbox = ({ images, index, onClose, onView }: Props) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const locale = vocabularyLocale(i18n.language)
  const slides = useMemo(
    () =>
      images.map((image) => {
        const preview = image.sizes?.preview
        const details = [
          acquisitionLabel(image, locale),
          `${t('plugin-derma-images:capturedAt')} ${captureDateLabel(image, i18n.language)}`,
          image.cameraModel ? `${t('plugin-derma-images:cameraModel')}: ${image.cameraModel}` : undefined,
          image.isPrimary ? t('plugin-derma-images:primary') : undefined,
          `${t('plugin-derma-images:consent')}: ${consentLabel(image.consentScopes, locale, t('plugin-derma-images:consentNone'))}`,
        ]
        return {
          description: [details.filter(Boolean).join(' · '), image.description].filter(Boolean).join('\n'),
          download: image.url ? { filename: image.originalFilename ?? `image-${image.id}`, url: image.url } : undefined,
          height: preview?.height ?? image.height ?? undefined,
          src: preview?.url ?? image.url ?? '',
          title: bodySiteLabel(image, locale) ?? t('plugin-derma-images:noValue'),
          width: preview?.width ?? image.width ?? undefined,
        }
      }),
    [i18n.language, images, locale, t],
  )
  return (
    <Lightbox
      captions={{ descriptionMaxLines: 4, descriptionTextAlign: 'start' }}
      close={onClose}
      controller={{ closeOnBackdropClick: true }}
      // Bottom right: the top left holds the caption's title (the body site).
      counter={{ container: { style: { bottom: 0, left: 'unset', right: 0, top: 'unset' } } }}
      index={index}
      labels={{
        Carousel: t('plugin-derma-images:lightboxCarousel'),
        Close: t('plugin-derma-images:close'),
        Download: t('plugin-derma-images:download'),
        'Hide captions': t('plugin-derma-images:captionsHide'),
        Lightbox: t('plugin-derma-images:lightbox'),
        Next: t('plugin-derma-images:lightboxNext'),
        'Photo gallery': t('plugin-derma-images:lightboxGallery'),
        Previous: t('plugin-derma-images:lightboxPrevious'),
        'Show captions': t('plugin-derma-images:captionsShow'),
        Slide: t('plugin-derma-images:lightboxSlide'),
        'Zoom in': t('plugin-derma-images:zoomIn'),
        'Zoom out': t('plugin-derma-images:zoomOut'),
        '{index} of {total}': t('plugin-derma-images:lightboxSlideOf'),
      }}
      on={{ view: ({ index: viewed }) => { onView(viewed); } }}
      open={index >= 0}
      plugins={[Captions, Counter, Download, Zoom]}
      slides={slides}
      zoom={{ maxZoomPixelRatio: 4, scrollToZoom: true }}
    />
  )
}
