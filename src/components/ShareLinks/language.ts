import type { VocabularyLocale } from '../../vocabulary/bodySites.js'

import { translations } from '../../translations/index.js'
import { getAcquisitionType } from '../../vocabulary/acquisition.js'
import { getBodySite, lateralities } from '../../vocabulary/bodySites.js'
import { imageRoles } from '../../vocabulary/lesions.js'

/**
 * The share page's language from `Accept-Language`: the recipient has no account and no admin
 * preference, so the browser's first acceptable language among English and French, else English.
 */
export const shareLanguageOf = (acceptLanguage: null | string | undefined): VocabularyLocale => {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = Number(params.find((param) => param.trim().startsWith('q='))?.trim().slice(2) ?? '1')
      return { order, q: Number.isNaN(q) ? 0 : q, tag: tag.toLowerCase() }
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0]
    if (primary === 'fr' || primary === 'en') {
      return primary
    }
  }
  return 'en'
}

/** The plugin's translations for the page: `{{name}}` placeholders, `_one` / `_other` plurals by `count`. */
export const shareTranslator = (language: VocabularyLocale) => {
  const strings: Partial<Record<string, string>> = translations[language]['plugin-derma-images']
  const plural = new Intl.PluralRules(language)
  return (key: string, values: Record<string, number | string> = {}): string => {
    const count = values.count
    const pluralKey = typeof count === 'number' ? `${key}_${plural.select(count) === 'one' ? 'one' : 'other'}` : key
    const template = strings[pluralKey] ?? strings[key] ?? key
    return template.replace(/{{(\w+)}}/g, (_, name: string) => String(values[name] ?? ''))
  }
}

export type ShareTranslate = ReturnType<typeof shareTranslator>

/** The coded values' labels in the page's language. */
export const vocabularyLabels = (language: VocabularyLocale) => ({
  acquisition: (code?: string) => (code ? getAcquisitionType(code)?.label[language] : undefined),
  bodySite: (code?: string, laterality?: string) => {
    const site = getBodySite(code)
    if (!site) {
      return undefined
    }
    const side = lateralities.find((entry) => entry.value === laterality)
    return side ? `${site.label[language]} (${side.label[language]})` : site.label[language]
  },
  role: (code?: string) => imageRoles.find((role) => role.value === code)?.label[language],
})

/** A date as the page shows it, in UTC (the same on the server and in every browser). */
export const formatShareDate = (iso: string, language: VocabularyLocale, withTime = false): string =>
  new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'UTC',
  }).format(new Date(iso))
