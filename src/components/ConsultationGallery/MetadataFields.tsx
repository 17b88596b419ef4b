'use client'

import type { OptionObject } from 'payload'

import { CheckboxInput, SelectInput, TextareaInput, useTranslation } from '@payloadcms/ui'
import React, { useMemo } from 'react'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { AcquisitionType } from '../../vocabulary/acquisition.js'
import type { BodySite, Laterality } from '../../vocabulary/bodySites.js'
import type { ImageRole } from '../../vocabulary/lesions.js'
import type { ClinicalFields } from './api.js'

import { acquisitionTypes } from '../../vocabulary/acquisition.js'
import { bodySiteOptions, lateralityOptions } from '../../vocabulary/bodySites.js'
import { defaultConsentScopes } from '../../vocabulary/consent.js'
import { imageRoles } from '../../vocabulary/lesions.js'
import { vocabularyLocale } from './labels.js'
import { useLesionOptions } from './lesionOptions.js'
import { ConsentCheckboxes } from './MetadataFieldsConsent.js'

const baseClass = 'derma-metadata-fields'

type Props = {
  /** Unique per form: the inputs' ids and paths start with it. */
  idPrefix: string
  onChange: (value: ClinicalFields) => void
  /** Shown only when the primary flag can be set here (the uploader; the gallery has its own action). */
  showPrimary?: boolean
  value: ClinicalFields
}

const selected = (option: unknown): string | undefined =>
  (Array.isArray(option) ? undefined : (option as { value?: string } | null)?.value) ?? undefined

const toLesionID = (option: string | undefined): null | number => (option === undefined ? null : Number(option))

/** The clinical fields of one image: acquisition, coded body site, laterality, lesion and role, description, consent. */
export const MetadataFields = ({ idPrefix, onChange, showPrimary = false, value }: Props) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const locale = vocabularyLocale(i18n.language)
  const options = useMemo(() => {
    const localize = (entries: readonly { label: { en: string; fr: string }; value: string }[]): OptionObject[] =>
      entries.map((entry) => ({ label: entry.label[locale], value: entry.value }))
    return {
      acquisition: localize(acquisitionTypes),
      bodySite: localize(bodySiteOptions(locale)),
      laterality: localize(lateralityOptions()),
      role: localize(imageRoles),
    }
  }, [locale])
  const lesionOptions = useLesionOptions()
  return (
    <div className={baseClass}>
      <div className={`${baseClass}__row`}>
        <SelectInput
          label={t('plugin-derma-images:acquisition')}
          name="acquisition"
          onChange={(option) => { onChange({ ...value, acquisition: selected(option) as AcquisitionType | undefined }); }}
          options={options.acquisition}
          path={`${idPrefix}-acquisition`}
          value={value.acquisition}
        />
        <SelectInput
          isClearable
          label={t('plugin-derma-images:bodySite')}
          name="bodySite"
          onChange={(option) => { onChange({ ...value, bodySite: (selected(option) as BodySite | undefined) ?? null }); }}
          options={options.bodySite}
          path={`${idPrefix}-bodySite`}
          value={value.bodySite ?? undefined}
        />
        <SelectInput
          isClearable
          label={t('plugin-derma-images:laterality')}
          name="laterality"
          onChange={(option) => { onChange({ ...value, laterality: (selected(option) as Laterality | undefined) ?? null }); }
          }
          options={options.laterality}
          path={`${idPrefix}-laterality`}
          value={value.laterality ?? undefined}
        />
      </div>
      <div className={`${baseClass}__row`}>
        <SelectInput
          isClearable
          label={t('plugin-derma-images:lesion')}
          name="lesion"
          onChange={(option) => { onChange({ ...value, lesion: toLesionID(selected(option)) }) }}
          options={lesionOptions}
          path={`${idPrefix}-lesion`}
          value={value.lesion === null || value.lesion === undefined ? undefined : String(value.lesion)}
        />
        <SelectInput
          isClearable
          label={t('plugin-derma-images:imageRole')}
          name="role"
          onChange={(option) => { onChange({ ...value, role: (selected(option) as ImageRole | undefined) ?? null }) }}
          options={options.role}
          path={`${idPrefix}-role`}
          value={value.role ?? undefined}
        />
      </div>
      <TextareaInput
        label={t('plugin-derma-images:description')}
        onChange={(event) => { onChange({ ...value, description: event.target.value }); }}
        path={`${idPrefix}-description`}
        rows={2}
        value={value.description ?? ''}
      />
      <ConsentCheckboxes
        idPrefix={idPrefix}
        onChange={(consentScopes) => { onChange({ ...value, consentScopes }) }}
        value={value.consentScopes ?? defaultConsentScopes}
      />
      {showPrimary ? (
        <CheckboxInput
          checked={value.isPrimary ?? false}
          id={`${idPrefix}-isPrimary`}
          label={t('plugin-derma-images:setPrimaryOnUpload')}
          name="isPrimary"
          onToggle={(event) => { onChange({ ...value, isPrimary: event.target.checked }); }}
        />
      ) : null}
    </div>
  )
}
