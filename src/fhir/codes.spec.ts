import { toEncounterStatus } from './codes.js'

describe('toEncounterStatus', () => {
  it.each<[null | string, string]>([
    ['scheduled', 'planned'],
    ['in-progress', 'in-progress'],
    ['completed', 'finished'],
    ['cancelled', 'cancelled'],
    ['no-show', 'unknown'],
    ['toString', 'unknown'],
    [null, 'unknown'],
  ])('should map the consultation status %p onto %p', (status, expected) => {
    expect(toEncounterStatus(status)).toBe(expected)
  })
})
