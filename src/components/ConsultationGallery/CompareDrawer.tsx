'use client'

import { Button, Drawer, useTranslation } from '@payloadcms/ui'
import React, { useState } from 'react'
import * as Slider from 'react-compare-slider/components'
import { useReactCompareSlider } from 'react-compare-slider/hooks'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { GalleryImage } from './api.js'

import { acquisitionLabel, bodySiteLabel, captureDateLabel, imageAlt, vocabularyLocale } from './labels.js'

const baseClass = 'derma-compare'

type Props = {
  drawerSlug: string
  /** The two images to compare, in any order: the earlier capture is shown first ("before"). */
  images: GalleryImage[]
}

const modes = [
  { label: 'plugin-derma-images:compareSlider', value: 'slider' },
  { label: 'plugin-derma-images:compareSideBySide', value: 'side' },
] as const

/** Whole images, never cropped: a lesion's border is what is being compared. */
const fit = { objectFit: 'contain' } as const

const source = (image: GalleryImage) => image.sizes?.preview?.url ?? image.url ?? ''

const captureTime = (image: GalleryImage): number => Date.parse(image.capturedAt ?? image.createdAt)

type SliderProps = { after: GalleryImage; before: GalleryImage; handleLabel: string; language: string }

/**
 * react-compare-slider's `ReactCompareSlider` gives its handle a fixed English `aria-label`; its
 * own building blocks (`react-compare-slider/components` and `useReactCompareSlider`) are the
 * library's way to set one: `HandleRoot` spreads its props over the default.
 */
const CompareSlider = ({ after, before, handleLabel, language }: SliderProps) => {
  const slider = useReactCompareSlider()
  const locale = vocabularyLocale(language)
  return (
    <Slider.Provider {...slider}>
      <Slider.Root className={`${baseClass}__frame`}>
        <Slider.Item item="itemOne">
          <Slider.Image alt={imageAlt(before, locale, language)} src={source(before)} style={fit} />
        </Slider.Item>
        <Slider.Item item="itemTwo">
          <Slider.Image alt={imageAlt(after, locale, language)} src={source(after)} style={fit} />
        </Slider.Item>
        <Slider.HandleRoot aria-label={handleLabel}>
          <Slider.Handle />
        </Slider.HandleRoot>
      </Slider.Root>
    </Slider.Provider>
  )
}

/** Two images side by side or under a slider, for before/after treatment and evolution. */
export const CompareDrawer = ({ drawerSlug, images }: Props) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const locale = vocabularyLocale(i18n.language)
  const [mode, setMode] = useState<'side' | 'slider'>('slider')
  const [before, after] = [...images].sort((a, b) => captureTime(a) - captureTime(b))
  const caption = (image: GalleryImage) => (
    <figcaption>
      <strong>{captureDateLabel(image, i18n.language)}</strong> · {bodySiteLabel(image, locale) ?? t('plugin-derma-images:noValue')} ·{' '}
      {acquisitionLabel(image, locale)}
    </figcaption>
  )
  return (
    <Drawer className={baseClass} slug={drawerSlug} title={t('plugin-derma-images:compareTitle')}>
      {before && after ? (
        <div className={`${baseClass}__content`}>
          <div className={`${baseClass}__modes`} role="group">
            {modes.map(({ label, value }) => (
              <Button
                buttonStyle={mode === value ? 'primary' : 'secondary'}
                extraButtonProps={{ 'aria-pressed': mode === value }}
                key={value}
                margin={false}
                onClick={() => { setMode(value); }}
                size="small"
              >
                {t(label)}
              </Button>
            ))}
          </div>
          {mode === 'slider' ? (
            <figure className={`${baseClass}__slider`}>
              <CompareSlider
                after={after}
                before={before}
                handleLabel={t('plugin-derma-images:compareHandle')}
                language={i18n.language}
              />
              <div className={`${baseClass}__captions`}>
                {caption(before)}
                {caption(after)}
              </div>
            </figure>
          ) : (
            <div className={`${baseClass}__side`}>
              {[before, after].map((image) => (
                <figure key={image.id}>
                  <img alt={imageAlt(image, locale, i18n.language)} src={source(image)} />
                  {caption(image)}
                </figure>
              ))}
            </div>
          )}
        </div>
      ) : null}
    </Drawer>
  )
}
