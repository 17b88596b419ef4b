'use client'

import { CheckboxInput, Pill, useAuth, useConfig, useTranslation } from '@payloadcms/ui'
import React, { useEffect, useState } from 'react'

import type { DermaImagesTranslationKeys, DermaImagesTranslations } from '../../translations/index.js'
import type { VocabularyLocale } from '../../vocabulary/bodySites.js'
import type { ConsentScope } from '../../vocabulary/consent.js'
import type { GalleryImage } from './api.js'

import { consentScopes } from '../../vocabulary/consent.js'
import { vocabularyLocale } from './labels.js'
import './MetadataFieldsConsent.scss'

const baseClass = 'derma-consent'

/** The scopes in the vocabulary's order, whatever order they were ticked in. */
const inOrder = (scopes: readonly string[]): ConsentScope[] =>
  consentScopes.map(({ value }) => value).filter((value) => scopes.includes(value))

/** "Care, Teaching" in the admin's language, or `none` for an image without any scope. */
export const consentLabel = (scopes: readonly string[] | null | undefined, locale: VocabularyLocale, none: string): string => {
  const labels = consentScopes.filter(({ value }) => scopes?.includes(value)).map(({ label }) => label[locale])
  return labels.length > 0 ? labels.join(', ') : none
}

type CheckboxesProps = {
  /** Unique per form: the inputs' ids start with it. */
  idPrefix: string
  onChange: (scopes: ConsentScope[]) => void
  value: readonly ConsentScope[]
}

/** One checkbox per consent scope (the server records who set them and when). */
export const ConsentCheckboxes = ({ idPrefix, onChange, value }: CheckboxesProps) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const locale = vocabularyLocale(i18n.language)
  return (
    <fieldset className={baseClass}>
      <legend className={`${baseClass}__legend`}>{t('plugin-derma-images:consent')}</legend>
      <div className={`${baseClass}__scopes`}>
        {consentScopes.map((scope) => (
          <CheckboxInput
            checked={value.includes(scope.value)}
            id={`${idPrefix}-consent-${scope.value}`}
            key={scope.value}
            label={scope.label[locale]}
            name={`${idPrefix}-consent-${scope.value}`}
            onToggle={(event) => {
              onChange(inOrder(event.target.checked ? [...value, scope.value] : value.filter((other) => other !== scope.value)))
            }}
          />
        ))}
      </div>
      <p className={`${baseClass}__hint`}>{t('plugin-derma-images:consentHint')}</p>
    </fieldset>
  )
}

/** Who recorded consent: "you", the user's name (else email, else ID if unreadable), or the system. */
const useRecorderName = (id: null | number | undefined): string | undefined => {
  const { user } = useAuth()
  const { config } = useConfig()
  const { t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const isMe = id !== null && id !== undefined && user?.id === id
  const [name, setName] = useState<string | undefined>(undefined)
  useEffect(() => {
    if (id === null || id === undefined || isMe) {
      return
    }
    const controller = new AbortController()
    // A list query, not `/:id`: a user the viewer may not read is an empty page, not a 404 in the console.
    const query = `where[id][equals]=${id}&depth=0&limit=1&select[name]=true&select[email]=true`
    fetch(`${config.serverURL}${config.routes.api}/${config.admin.user}?${query}`, { credentials: 'include', signal: controller.signal })
      .then(async (response) => (response.ok ? ((await response.json()) as { docs?: { email?: string; name?: string }[] }).docs?.[0] : undefined))
      .then((found) => { setName(found?.name ?? found?.email ?? `#${id}`) })
      .catch(() => { setName(`#${id}`) })
    return () => { controller.abort() }
  }, [config.admin.user, config.routes.api, config.serverURL, id, isMe])
  if (id === null || id === undefined) {
    // Recorded without a user: a system write (a migration, the seed).
    return t('plugin-derma-images:consentRecordedBySystem')
  }
  return isMe ? t('plugin-derma-images:consentRecordedByYou') : name
}

/** "Recorded by … on …", read only. */
export const ConsentRecord = ({ image }: { image: GalleryImage }) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const name = useRecorderName(image.consentRecordedBy)
  const at = image.consentRecordedAt
  return (
    <p className={`${baseClass}__record`} data-consent-record="">
      {at
        ? t('plugin-derma-images:consentRecorded', {
            date: new Date(at).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }),
            user: name ?? '…',
          })
        : t('plugin-derma-images:consentNotRecorded')}
    </p>
  )
}

/** Compact badges for the uses beyond care an image's consent allows (care is every image's). */
export const ConsentBadges = ({ scopes }: { scopes: readonly string[] | null | undefined }) => {
  const { i18n, t } = useTranslation<DermaImagesTranslations, DermaImagesTranslationKeys>()
  const locale = vocabularyLocale(i18n.language)
  const title = `${t('plugin-derma-images:consent')}: ${consentLabel(scopes, locale, t('plugin-derma-images:consentNone'))}`
  const beyondCare = consentScopes.filter(({ value }) => value !== 'care' && scopes?.includes(value))
  return beyondCare.length > 0 ? (
    <span aria-label={title} className={`${baseClass}__badges`} role="note" title={title}>
      {beyondCare.map(({ label, value }) => (
        <Pill className={`${baseClass}__badge`} key={value} pillStyle="light" size="small">
          {label[locale]}
        </Pill>
      ))}
    </span>
  ) : null
}
