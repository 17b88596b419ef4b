import type { LocalizedLabel } from './bodySites.js'

/** Where a followed lesion stands: watched, removed, or gone on its own. */
export const lesionStatuses = [
  { value: 'monitoring', label: { en: 'Monitoring', fr: 'Surveillance' } },
  { value: 'biopsied', label: { en: 'Biopsied', fr: 'Biopsiée' } },
  { value: 'excised', label: { en: 'Excised', fr: 'Excisée' } },
  { value: 'resolved', label: { en: 'Resolved', fr: 'Résolue' } },
] as const satisfies readonly { label: LocalizedLabel; value: string }[]

export type LesionStatus = (typeof lesionStatuses)[number]['value']

/** What an image is in a lesion's history: the first look, a later check, or around a treatment. */
export const imageRoles = [
  { value: 'baseline', label: { en: 'Baseline', fr: 'Référence' } },
  { value: 'follow-up', label: { en: 'Follow-up', fr: 'Suivi' } },
  { value: 'pre-treatment', label: { en: 'Pre-treatment', fr: 'Avant traitement' } },
  { value: 'post-treatment', label: { en: 'Post-treatment', fr: 'Après traitement' } },
] as const satisfies readonly { label: LocalizedLabel; value: string }[]

export type ImageRole = (typeof imageRoles)[number]['value']
