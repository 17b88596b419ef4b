import type { LocalizedLabel, LocalizedSelectOption } from './bodySites.js'

/**
 * Image acquisition types, matched to the ISIC Archive `image_type` vocabulary
 * (ImageMarkup/isic-metadata isic_metadata/fields.py, ImageTypeEnum: 'dermoscopic',
 * 'clinical: overview', 'clinical: close-up', plus TBP and RCM types this plugin does not capture).
 *
 * ISIC has no "other" image type, so `isic` is `null` for 'other'. An ISIC export must leave
 * those images out or map them deliberately. It must not send an invented value.
 */
export type AcquisitionTypeDefinition = {
  readonly value: string
  readonly label: LocalizedLabel
  /** The exact ISIC `image_type` string, or null when ISIC has no equivalent. */
  readonly isic: string | null
}

export const acquisitionTypes = [
  {
    value: 'clinical-overview',
    label: { en: 'Clinical: overview', fr: "Clinique : vue d'ensemble" },
    isic: 'clinical: overview',
  },
  {
    value: 'clinical-close-up',
    label: { en: 'Clinical: close-up', fr: 'Clinique : gros plan' },
    isic: 'clinical: close-up',
  },
  {
    value: 'dermoscopic',
    label: { en: 'Dermoscopic', fr: 'Dermoscopie' },
    isic: 'dermoscopic',
  },
  {
    value: 'other',
    label: { en: 'Other', fr: 'Autre' },
    isic: null,
  },
] as const satisfies readonly AcquisitionTypeDefinition[]

export type AcquisitionTypeEntry = (typeof acquisitionTypes)[number]

/** An acquisition-type code as stored in the database, e.g. 'dermoscopic'. */
export type AcquisitionType = AcquisitionTypeEntry['value']

/**
 * How the legacy French values (from the clinic's previous photo tool) map to the new codes:
 * - "lésion primaire" (whole-lesion photo) → clinical-overview
 * - "macro" (close-up lens) → clinical-close-up
 * - "dermatoscope" → dermoscopic
 * - "évolution" (follow-up photo) → other. Follow-up is about when the photo was taken, not how,
 *   and ISIC has no image type for it. Keep the follow-up meaning in the consultation date.
 * Keys are lower case and NFC-normalised. Use `fromLegacyAcquisition` to look up raw input.
 */
export const legacyAcquisitionMap = {
  'lésion primaire': 'clinical-overview',
  macro: 'clinical-close-up',
  dermatoscope: 'dermoscopic',
  évolution: 'other',
} as const satisfies Readonly<Record<string, AcquisitionType>>

export type LegacyAcquisitionValue = keyof typeof legacyAcquisitionMap

const acquisitionByValue: ReadonlyMap<string, AcquisitionTypeEntry> = new Map(
  acquisitionTypes.map((entry): [string, AcquisitionTypeEntry] => [entry.value, entry]),
)

export const isAcquisitionType = (value: unknown): value is AcquisitionType =>
  typeof value === 'string' && acquisitionByValue.has(value)

/** Returns the entry for an acquisition code, or `undefined` for an unknown or empty value. */
export function getAcquisitionType(value: AcquisitionType): AcquisitionTypeEntry
export function getAcquisitionType(
  value: string | null | undefined,
): AcquisitionTypeEntry | undefined
export function getAcquisitionType(
  value: string | null | undefined,
): AcquisitionTypeEntry | undefined {
  return typeof value === 'string' ? acquisitionByValue.get(value) : undefined
}

/**
 * Maps a raw legacy value to the new code. Case, surrounding or repeated whitespace and Unicode
 * form (NFC or NFD accents) do not matter. A value that is already a current code is returned as
 * it is. Anything else gives `undefined`, so unmapped data is never filed silently as 'other'.
 */
export const fromLegacyAcquisition = (
  raw: string | null | undefined,
): AcquisitionType | undefined => {
  if (typeof raw !== 'string') return undefined
  const key = raw.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('fr')
  if (Object.prototype.hasOwnProperty.call(legacyAcquisitionMap, key)) {
    return legacyAcquisitionMap[key as LegacyAcquisitionValue]
  }
  return isAcquisitionType(key) ? key : undefined
}

/** Payload select options `{ label: { en, fr }, value }` for the acquisition field (a new array each call). */
export const acquisitionOptions = (): LocalizedSelectOption<AcquisitionType>[] =>
  acquisitionTypes.map(({ label, value }) => ({ label: { en: label.en, fr: label.fr }, value }))
