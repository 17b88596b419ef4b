import { bodySiteList } from './bodySiteList.js'

/**
 * Coded body-site vocabulary for dermatology photos.
 *
 * `value` is the stable code stored in the database (kebab-case). Never rename a value. Add a new
 * one and migrate the data instead. `isicGeneral` is the ISIC Archive `anatom_site_general` value,
 * so images can be exported to ISIC. `snomed` is the SNOMED CT body-structure concept (usually a
 * "Skin structure of …" concept below 39937001 |Skin structure|). It is set only where a source
 * below confirmed both the concept id and its display. Every SCTID passes the Verhoeff check
 * (see bodySites.spec.ts).
 *
 * Sources (the keys used in the per-site comments in ./bodySiteList.ts):
 * - DICOM: DICOM PS3.16 CID 4029 "Dermatology Anatomic Site" (SNOMED CT "Skin of …" entries),
 *   https://dicom.nema.org/medical/dicom/current/output/chtml/part16/sect_CID_4029.html, read via
 *   bvdh/dicom-terminology-in-fhir input/fsh/ValueSet-dicom-cid-4029-DermatologyAnatomicSite.fsh.
 *   The FSNs were cross-checked in pydicom/pydicom src/pydicom/sr/_concepts_dict.py
 *   (e.g. 43067004 "Skin structure of scalp (body structure)").
 * - EHDSI: hl7-eu/EHDSI-Terminology-package input/fsh/valuesets/mvc/eHDSIBodySite.fsh (EU eHDSI
 *   Body Site value set 8.1.0). Its displays are SNOMED CT International (2025-02-01) preferred
 *   terms, and they are the displays used here.
 * - BE-VAC: hl7-be/vaccination input/fsh/valuesets/BeVSVaccinationBodySite.fsh (Belgian eHealth
 *   value set, with the FSN and the nl-BE designation, e.g. 371305003 "huid van bovenbeen").
 * - BE-IMG: Belgian eHealth value set
 *   https://www.ehealth.fgov.be/standards/fhir/terminology/ValueSet/be-vs-diagnostic-imaging-indication
 *   (FSNs, e.g. 74757004 "Skin structure of elbow (body structure)").
 * - FHIMS: US Federal Health Information Model, Pressure Ulcer enumeration,
 *   https://fhims.org/docs/PressureUlcerHTML.zip (e.g. 63464009 "skin structure of knee").
 * - VETSCT: the Virginia Tech SNOMED CT browser,
 *   https://vtsl.vetmed.vt.edu/Terminologymgt/RF2Viewer/display.cfm?SCT_ConceptID=51360009
 *   (FSN "Skin structure of eyelid (body structure)").
 * - ISIC values: ImageMarkup/isic-metadata isic_metadata/fields.py (AnatomSiteGeneralEnum).
 */

export type VocabularyLocale = 'en' | 'fr'

export type LocalizedLabel = { readonly en: string; readonly fr: string }

/** The ISIC Archive `anatom_site_general` vocabulary. */
export const isicAnatomSitesGeneral = [
  'head/neck',
  'upper extremity',
  'lower extremity',
  'anterior torso',
  'posterior torso',
  'lateral torso',
  'palms/soles',
  'oral/genital',
] as const satisfies readonly string[]

export type IsicAnatomSiteGeneral = (typeof isicAnatomSitesGeneral)[number]

/** A SNOMED CT concept (system http://snomed.info/sct): SCTID and preferred-term display. */
export type SnomedCoding = { readonly code: string; readonly display: string }

/** The shape every body-site entry satisfies (no literal types). */
export type BodySiteDefinition = {
  readonly value: string
  readonly label: LocalizedLabel
  readonly isicGeneral: IsicAnatomSiteGeneral
  readonly snomed?: SnomedCoding
}

/** A body-site code as stored in the database, e.g. 'upper-back'. */
export type BodySite = (typeof bodySiteList)[number]['value']

/** One body-site entry. `snomed` is optional, so `site.snomed?.code` type-checks on any entry. */
export type BodySiteEntry = BodySiteDefinition & { readonly value: BodySite }

/** All body sites, head to toe (the `as const` data lives in ./bodySiteList.ts). */
export const bodySites: readonly BodySiteEntry[] = bodySiteList

export const lateralities = [
  { value: 'left', label: { en: 'Left', fr: 'Gauche' } },
  { value: 'right', label: { en: 'Right', fr: 'Droite' } },
  { value: 'bilateral', label: { en: 'Bilateral', fr: 'Bilatéral' } },
  { value: 'midline', label: { en: 'Midline', fr: 'Ligne médiane' } },
] as const satisfies readonly { readonly value: string; readonly label: LocalizedLabel }[]

export type Laterality = (typeof lateralities)[number]['value']

/** A Payload select option (assignable to Payload's `OptionObject`), labels left for Payload to localize. */
export type LocalizedSelectOption<TValue extends string = string> = {
  label: { en: string; fr: string }
  value: TValue
}

const bodySiteByValue: ReadonlyMap<string, BodySiteEntry> = new Map(
  bodySites.map((site): [string, BodySiteEntry] => [site.value, site]),
)

const lateralityValues: ReadonlySet<string> = new Set(lateralities.map(({ value }) => value))

export const isBodySite = (value: unknown): value is BodySite =>
  typeof value === 'string' && bodySiteByValue.has(value)

export const isLaterality = (value: unknown): value is Laterality =>
  typeof value === 'string' && lateralityValues.has(value)

/** Returns the entry for a body-site code, or `undefined` for an unknown or empty value. */
export function getBodySite(value: BodySite): BodySiteEntry
export function getBodySite(value: string | null | undefined): BodySiteEntry | undefined
export function getBodySite(value: string | null | undefined): BodySiteEntry | undefined {
  return typeof value === 'string' ? bodySiteByValue.get(value) : undefined
}

const toOption = <TValue extends string>(entry: {
  readonly label: LocalizedLabel
  readonly value: TValue
}): LocalizedSelectOption<TValue> => ({
  label: { en: entry.label.en, fr: entry.label.fr },
  value: entry.value,
})

/**
 * Payload select options `{ label: { en, fr }, value }` for the body-site field. Each call returns
 * a new array, so callers may change it safely.
 * Without a locale the options are in anatomical order (head to toe). With a locale they are
 * sorted alphabetically by that locale's label (accents ignored), which helps long dropdowns.
 */
export const bodySiteOptions = (locale?: VocabularyLocale): LocalizedSelectOption<BodySite>[] => {
  const options = bodySites.map((site) => toOption(site))
  if (!locale) return options
  const collator = new Intl.Collator(locale, { sensitivity: 'base' })
  return options.sort((a, b) => collator.compare(a.label[locale], b.label[locale]))
}

/** Payload select options for the laterality field (left, right, bilateral, midline). */
export const lateralityOptions = (): LocalizedSelectOption<Laterality>[] =>
  lateralities.map((laterality) => toOption(laterality))
