'use client'

import { Button, CheckboxInput, Pill, useTranslation } from '@payloadcms/ui'
import React from 'react'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { GalleryImage } from './api.js'

import { ConsentBadges } from './MetadataFieldsConsent.js'
import { acquisitionLabel, bodySiteLabel, captureDateLabel, imageAlt, vocabularyLocale } from './labels.js'

const baseClass = 'derma-image-tile'

type Props = {
  canChange: boolean
  image: GalleryImage
  isSelected: boolean
  onDelete: () => void
  onEdit: () => void
  onOpen: () => void
  onSetPrimary: () => void
  onToggleSelect: () => void
}

/** One thumbnail (never the original) with its clinical labels and actions. */
export const ImageTile = ({ canChange, image, isSelected, onDelete, onEdit, onOpen, onSetPrimary, onToggleSelect }: Props) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const locale = vocabularyLocale(i18n.language)
  const thumbnail = image.sizes?.thumbnail
  return (
    <li className={`${baseClass}${isSelected ? ` ${baseClass}--selected` : ''}`} data-image-id={image.id}>
      <button aria-label={`${t('plugin-derma-images:view')}: ${imageAlt(image, locale, i18n.language)}`} className={`${baseClass}__open`} onClick={onOpen} type="button">
        <img
          alt={imageAlt(image, locale, i18n.language)}
          decoding="async"
          height={thumbnail?.height ?? 300}
          loading="lazy"
          src={thumbnail?.url ?? undefined}
          width={thumbnail?.width ?? 300}
        />
      </button>
      {image.isPrimary ? (
        <Pill className={`${baseClass}__primary`} pillStyle="success" size="small">
          {t('plugin-derma-images:primary')}
        </Pill>
      ) : null}
      <div className={`${baseClass}__meta`}>
        <p className={`${baseClass}__site`}>{bodySiteLabel(image, locale) ?? t('plugin-derma-images:noValue')}</p>
        <p className={`${baseClass}__details`}>
          <span>{acquisitionLabel(image, locale)}</span> · <time dateTime={image.capturedAt ?? image.createdAt}>{captureDateLabel(image, i18n.language)}</time>
        </p>
        <ConsentBadges scopes={image.consentScopes} />
      </div>
      <div className={`${baseClass}__actions`}>
        <CheckboxInput
          checked={isSelected}
          className={`${baseClass}__select`}
          id={`derma-select-${image.id}`}
          label={t('plugin-derma-images:compare')}
          name={`derma-select-${image.id}`}
          onToggle={onToggleSelect}
        />
        <Button buttonStyle="subtle" el="anchor" extraButtonProps={{ download: '' }} margin={false} size="xsmall" url={image.url ?? undefined}>
          {t('plugin-derma-images:download')}
        </Button>
        {canChange ? (
          <>
            <Button buttonStyle="subtle" margin={false} onClick={onEdit} size="xsmall">
              {t('plugin-derma-images:edit')}
            </Button>
            {image.isPrimary ? null : (
              <Button buttonStyle="subtle" margin={false} onClick={onSetPrimary} size="xsmall">
                {t('plugin-derma-images:setPrimary')}
              </Button>
            )}
            <Button buttonStyle="subtle" className={`${baseClass}__delete`} margin={false} onClick={onDelete} size="xsmall">
              {t('plugin-derma-images:delete')}
            </Button>
          </>
        ) : null}
      </div>
    </li>
  )
}
