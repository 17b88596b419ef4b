import { toBodySite, toCreatedDateTime } from './media.js'

describe('toCreatedDateTime', () => {
  it.each<[string, null | string, string]>([
    ['2024-05-01T08:11:12.345Z', '+02:00', '2024-05-01T10:11:12.345+02:00'],
    ['2024-05-01T02:30:00.000Z', '-05:00', '2024-04-30T21:30:00.000-05:00'],
    ['2024-05-01T08:11:12.345Z', '+05:45', '2024-05-01T13:56:12.345+05:45'],
    ['2024-05-01T08:11:12.345Z', '+00:00', '2024-05-01T08:11:12.345+00:00'],
    ['2024-05-01T08:11:12.345Z', null, '2024-05-01T08:11:12.345Z'],
    ['2024-05-01T08:11:12.345Z', '+15:00', '2024-05-01T08:11:12.345Z'],
    ['2024-05-01T08:11:12.345Z', 'CEST', '2024-05-01T08:11:12.345Z'],
  ])('should give %s at offset %s as %s', (capturedAt, offset, expected) => {
    expect(toCreatedDateTime(capturedAt, offset)).toBe(expected)
  })
})

describe('toBodySite', () => {
  it('should give a laterality without a site as its qualifier and its word', () => {
    expect(toBodySite(null, 'bilateral')).toEqual({
      extension: [
        {
          url: 'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier',
          valueCodeableConcept: { coding: [{ code: '51440002', display: 'Right and left', system: 'http://snomed.info/sct' }] },
        },
      ],
      text: 'Bilateral',
    })
  })

  it('should give a coded site without laterality as its SNOMED CT concept alone', () => {
    expect(toBodySite('scalp', null)).toEqual({
      coding: [{ code: '43067004', display: 'Skin structure of scalp', system: 'http://snomed.info/sct' }],
      text: 'Skin structure of scalp',
    })
  })

  it('should leave out a site and a laterality outside the vocabulary', () => {
    expect(toBodySite('elbow-of-the-moon', 'sideways')).toBeUndefined()
  })
})
