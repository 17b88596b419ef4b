import type { LocalizedLabel } from './bodySites.js'

/**
 * What the patient agreed an image may be used for. `care` covers the treating team's use of the
 * photo in the patient's record; every other use needs its own scope, and the routes that serve
 * those uses (second-opinion share links, teaching and research exports) only ever include images
 * whose consent names it.
 */
export const consentScopes = [
  { value: 'care', label: { en: 'Care', fr: 'Soins' } },
  { value: 'second-opinion', label: { en: 'Second opinion', fr: 'Second avis' } },
  { value: 'teaching', label: { en: 'Teaching', fr: 'Enseignement' } },
  { value: 'research', label: { en: 'Research', fr: 'Recherche' } },
] as const satisfies readonly { label: LocalizedLabel; value: string }[]

export type ConsentScope = (typeof consentScopes)[number]['value']

/** The scope a new image gets when its uploader records none. */
export const defaultConsentScopes: ConsentScope[] = ['care']
