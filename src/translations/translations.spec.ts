import { describe, expect, it } from '@jest/globals'

import { en } from './languages/en.js'
import { fr } from './languages/fr.js'

const placeholders = (text: string): string[] => [...text.matchAll(/{{(\w+)}}/g)].map((match) => match[1] ?? '').sort()

const english = en['plugin-derma-images']
const french = fr['plugin-derma-images']
const keys = Object.keys(english) as (keyof typeof english)[]

describe('plugin translations', () => {
  it('should have exactly the same keys in French as in English', () => {
    expect(Object.keys(french).sort()).toEqual([...keys].sort())
  })

  it.each(keys)('should keep the placeholders of %s in French', (key) => {
    expect(placeholders(french[key])).toEqual(placeholders(english[key]))
  })

  it('should translate every sentence rather than copy the English', () => {
    // Words that are the same in both languages (and the placeholder-only dash).
    const identical = new Set(['count_one', 'count_other', 'lightboxSlide', 'noValue'])
    const copied = keys.filter((key) => !identical.has(key) && french[key] === english[key])
    expect(copied).toEqual([])
  })
})
