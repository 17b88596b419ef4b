import {
  acquisitionOptions,
  acquisitionTypes,
  fromLegacyAcquisition,
  legacyAcquisitionMap,
} from './acquisition.js'
import {
  bodySiteOptions,
  bodySites,
  getBodySite,
  isBodySite,
  isicAnatomSitesGeneral,
  lateralities,
  lateralityOptions,
} from './bodySites.js'

// Verhoeff check digit (SNOMED CT SCTIDs end with one): dihedral group D5 multiplication table
// and position permutation table.
const VERHOEFF_D: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
const VERHOEFF_P: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]

const cell = (table: readonly (readonly number[])[], row: number, column: number): number => {
  const value = table[row]?.[column]
  if (value === undefined) throw new RangeError(`Verhoeff table has no cell [${row}][${column}]`)
  return value
}

/** True when the last digit of `digits` is a valid Verhoeff check digit for the rest. */
const hasValidVerhoeffCheckDigit = (digits: string): boolean => {
  if (!/^\d+$/u.test(digits)) return false
  let check = 0
  ;Array.from(digits).reverse().forEach((char, position) => {
    check = cell(VERHOEFF_D, check, cell(VERHOEFF_P, position % 8, Number(char)))
  })
  return check === 0
}

const KEBAB_CASE = /^[a-z]+(?:-[a-z]+)*$/u
const SCTID = /^\d{6,18}$/u
const coded = bodySites.flatMap(({ snomed, value }) => (snomed ? [{ site: value, ...snomed }] : []))

describe('Verhoeff check used for SNOMED CT ids', () => {
  it('should accept known valid SCTIDs and reject a corrupted check digit', () => {
    expect(hasValidVerhoeffCheckDigit('39937001')).toBe(true) // Skin structure
    expect(hasValidVerhoeffCheckDigit('138875005')).toBe(true) // SNOMED CT root concept
    expect(hasValidVerhoeffCheckDigit('39937002')).toBe(false)
    expect(hasValidVerhoeffCheckDigit('3993700a')).toBe(false)
  })
})

describe('bodySites', () => {
  it('should ship a dermatology-grade list of roughly 25–40 sites', () => {
    expect(bodySites.length).toBeGreaterThanOrEqual(25)
    expect(bodySites.length).toBeLessThanOrEqual(40)
  })

  it('should use unique kebab-case values', () => {
    const values = bodySites.map(({ value }) => value)
    values.forEach((value) => { expect(value).toMatch(KEBAB_CASE); })
    expect(new Set(values).size).toBe(values.length)
  })

  it('should give every site a non-empty English and French label', () => {
    bodySites.forEach(({ label }) => {
      expect(label.en.trim()).not.toBe('')
      expect(label.fr.trim()).not.toBe('')
    })
  })

  it('should not repeat a label within a locale', () => {
    for (const locale of ['en', 'fr'] as const) {
      const labels = bodySites.map(({ label }) => label[locale].toLocaleLowerCase(locale))
      expect(new Set(labels).size).toBe(labels.length)
    }
  })

  it('should map every site to an ISIC anatom_site_general value', () => {
    const allowed: readonly string[] = isicAnatomSitesGeneral
    bodySites.forEach(({ isicGeneral }) => { expect(allowed).toContain(isicGeneral); })
  })

  it('should cover every ISIC anatom_site_general value with at least one site', () => {
    const used = new Set<string>(bodySites.map(({ isicGeneral }) => isicGeneral))
    isicAnatomSitesGeneral.forEach((general) => { expect(used.has(general)).toBe(true); })
  })

  it('should keep the values the seed data and stored images rely on', () => {
    for (const value of ['face', 'forearm', 'scalp', 'thigh', 'upper-back']) {
      expect(isBodySite(value)).toBe(true)
    }
  })
})

describe('bodySites SNOMED CT codes', () => {
  it('should code most sites', () => {
    expect(coded.length).toBeGreaterThanOrEqual(Math.ceil(bodySites.length * 0.75))
  })

  it('should use numeric SCTIDs of 6 to 18 digits', () => {
    coded.forEach(({ code }) => { expect(code).toMatch(SCTID); })
  })

  it('should use SCTIDs with a valid Verhoeff check digit', () => {
    const invalid = coded.filter(({ code }) => !hasValidVerhoeffCheckDigit(code))
    expect(invalid).toEqual([])
  })

  it('should catch any single-digit typo in a code', () => {
    coded.forEach(({ code }) => {
      const last = Number(code.slice(-1))
      const typo = `${code.slice(0, -1)}${(last + 1) % 10}`
      expect(hasValidVerhoeffCheckDigit(typo)).toBe(false)
    })
  })

  it('should use concept identifiers (partition 00 or 10), not description or relationship ids', () => {
    coded.forEach(({ code }) => { expect(['00', '10']).toContain(code.slice(-3, -1)); })
  })

  it('should not give the same code to two sites', () => {
    const codes = coded.map(({ code }) => code)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('should give every code a display naming a body structure', () => {
    coded.forEach(({ display }) => {
      expect(display.trim()).toBe(display)
      expect(display).toMatch(/skin|nail|mucous|structure/iu)
      expect(display).not.toMatch(/\(body structure\)$/u) // preferred term, not the FSN
    })
  })
})

describe('getBodySite', () => {
  it('should return the entry for a known value', () => {
    expect(getBodySite('scalp')).toMatchObject({
      isicGeneral: 'head/neck',
      snomed: { code: '43067004', display: 'Skin structure of scalp' },
    })
  })

  it('should return undefined for an unknown or empty value', () => {
    expect(getBodySite('elbow-pit')).toBeUndefined()
    expect(getBodySite('')).toBeUndefined()
    expect(getBodySite(null)).toBeUndefined()
    expect(getBodySite(undefined)).toBeUndefined()
  })
})

describe('bodySiteOptions', () => {
  it('should return Payload select options in anatomical order by default', () => {
    const options = bodySiteOptions()
    expect(options.map(({ value }) => value)).toEqual(bodySites.map(({ value }) => value))
    options.forEach((option) => { expect(Object.keys(option).sort()).toEqual(['label', 'value']); })
    expect(options[0]).toEqual({ label: { en: 'Scalp', fr: 'Cuir chevelu' }, value: 'scalp' })
  })

  it('should sort by the given locale label, ignoring accents', () => {
    const frLabels = bodySiteOptions('fr').map(({ label }) => label.fr)
    const collator = new Intl.Collator('fr', { sensitivity: 'base' })
    expect(frLabels).toEqual([...frLabels].sort((a, b) => collator.compare(a, b)))
    expect(frLabels.indexOf('Épaule')).toBeLessThan(frLabels.indexOf('Fesse'))
  })

  it('should return a fresh copy that callers can mutate safely', () => {
    const options = bodySiteOptions()
    options[0]!.label.en = 'changed'
    options.pop()
    expect(bodySiteOptions()[0]?.label.en).toBe('Scalp')
    expect(bodySiteOptions()).toHaveLength(bodySites.length)
  })
})

describe('lateralities', () => {
  it('should offer left, right, bilateral and midline with English and French labels', () => {
    expect(lateralities.map(({ value }) => value)).toEqual([
      'left',
      'right',
      'bilateral',
      'midline',
    ])
    expect(lateralityOptions()).toEqual(
      lateralities.map(({ label, value }) => ({ label: { en: label.en, fr: label.fr }, value })),
    )
  })
})

describe('acquisitionTypes', () => {
  it('should carry the exact ISIC image_type strings, and null where ISIC has none', () => {
    expect(acquisitionTypes.map(({ value, isic }) => [value, isic])).toEqual([
      ['clinical-overview', 'clinical: overview'],
      ['clinical-close-up', 'clinical: close-up'],
      ['dermoscopic', 'dermoscopic'],
      ['other', null],
    ])
    expect(acquisitionOptions().map(({ label }) => label.fr)).toEqual([
      "Clinique : vue d'ensemble",
      'Clinique : gros plan',
      'Dermoscopie',
      'Autre',
    ])
  })

  it('should map every legacy French value to a current acquisition type', () => {
    expect(legacyAcquisitionMap).toEqual({
      'lésion primaire': 'clinical-overview',
      macro: 'clinical-close-up',
      dermatoscope: 'dermoscopic',
      évolution: 'other',
    })
  })

  it('should normalise case, whitespace and Unicode form of legacy values', () => {
    expect(fromLegacyAcquisition('  Lésion   Primaire ')).toBe('clinical-overview')
    expect(fromLegacyAcquisition('e\u0301volution')).toBe('other') // NFD "évolution"
    expect(fromLegacyAcquisition('MACRO')).toBe('clinical-close-up')
    expect(fromLegacyAcquisition('dermoscopic')).toBe('dermoscopic')
  })

  it('should return undefined for an unmapped legacy value instead of guessing', () => {
    expect(fromLegacyAcquisition('photo')).toBeUndefined()
    expect(fromLegacyAcquisition('constructor')).toBeUndefined()
    expect(fromLegacyAcquisition(null)).toBeUndefined()
  })
})
