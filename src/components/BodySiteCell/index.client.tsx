'use client'

import type { DefaultCellComponentProps } from 'payload'

import { useTranslation } from '@payloadcms/ui'

import type { VocabularyLocale } from '../../vocabulary/bodySites.js'

import { getBodySite, lateralities } from '../../vocabulary/bodySites.js'

const baseClass = 'derma-body-site-cell'

/** A body-site column: the localised site and laterality, the SNOMED CT code on hover. */
export const BodySiteCell = ({ cellData, rowData }: DefaultCellComponentProps) => {
  const { i18n } = useTranslation()
  const site = getBodySite(typeof cellData === 'string' ? cellData : undefined)
  if (!site) {
    return <span className={baseClass}>—</span>
  }
  const locale: VocabularyLocale = i18n.language === 'fr' ? 'fr' : 'en'
  const laterality = lateralities.find((entry) => entry.value === rowData.laterality)
  const label = laterality ? `${site.label[locale]} (${laterality.label[locale]})` : site.label[locale]
  return (
    <span className={baseClass} title={site.snomed ? `SNOMED CT ${site.snomed.code} · ${site.snomed.display}` : undefined}>
      {label}
    </span>
  )
}
