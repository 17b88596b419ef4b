import type { NestedKeysStripped } from '@payloadcms/translations'

import { en } from './languages/en.js'
import { fr } from './languages/fr.js'

/** The plugin's admin strings, merged into the host's `i18n.translations` (host values win). */
export const translations = { en, fr }

export type DermaImagesTranslations = typeof en

export type DermaImagesTranslationKeys = NestedKeysStripped<DermaImagesTranslations>
