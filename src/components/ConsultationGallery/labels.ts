import type { GalleryImage } from './api.js'
import type { VocabularyLocale } from '../../vocabulary/bodySites.js'

import { getAcquisitionType } from '../../vocabulary/acquisition.js'
import { getBodySite, lateralities } from '../../vocabulary/bodySites.js'

/** The vocabulary's locale for the admin's language (the vocabulary has English and French). */
export const vocabularyLocale = (language: string): VocabularyLocale => (language === 'fr' ? 'fr' : 'en')

export const acquisitionLabel = (image: GalleryImage, locale: VocabularyLocale): string | undefined =>
  getAcquisitionType(image.acquisition ?? undefined)?.label[locale]

/** "Forearm (left)", or undefined when no site is coded. */
export const bodySiteLabel = (image: GalleryImage, locale: VocabularyLocale): string | undefined => {
  const site = getBodySite(image.bodySite)
  if (!site) {
    return undefined
  }
  const laterality = lateralities.find((entry) => entry.value === image.laterality)
  return laterality ? `${site.label[locale]} (${laterality.label[locale]})` : site.label[locale]
}

/** The capture date as the camera recorded it (EXIF), else the upload date, in the admin's language. */
export const captureDateLabel = (image: GalleryImage, language: string): string =>
  new Date(image.capturedAt ?? image.createdAt).toLocaleDateString(language, { dateStyle: 'medium' })

export const formatBytes = (bytes: number, language: string): string =>
  new Intl.NumberFormat(language, { maximumFractionDigits: 1, style: 'unit', unit: 'megabyte' }).format(
    bytes / (1024 * 1024),
  )

/** A short accessible description of an image: its site, kind and date. */
export const imageAlt = (image: GalleryImage, locale: VocabularyLocale, language: string): string =>
  [bodySiteLabel(image, locale), acquisitionLabel(image, locale), captureDateLabel(image, language)]
    .filter(Boolean)
    .join(' · ')
