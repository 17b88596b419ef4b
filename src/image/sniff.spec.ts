import { readFile } from 'node:fs/promises'

import { fixtures } from '../../test/fixtures/index.js'
import { describeAccepted, sniffType } from './sniff.js'

const sniffFile = async (path: string) => sniffType(await readFile(path))

describe('sniffType', () => {
  it.each(Object.values(fixtures).filter((fixture) => fixture.detectedType))('should recognise $file as $detectedType', async (fixture) => {
    const sniffed = await sniffFile(fixture.path)
    expect(sniffed.mime).toBe(fixture.detectedType)
  })

  it.each([
    ['an XML document', '<?xml version="1.0"?><note>hello</note>'],
    ['an HTML document', '\uFEFF  <html><body>x</body></html>'],
    ['an SVG image', '<!-- comment --><svg xmlns="http://www.w3.org/2000/svg"></svg>'],
    ['a text file', 'BMW service report'],
    ['not a recognised image', '\u0000\u0001\u0002binary'],
  ])('should name %s from its content', (label, content) => {
    expect(sniffType(Buffer.from(content)).label).toBe(label)
  })

  it('should recognise a HEIC declared only through a compatible brand', () => {
    const ftyp = Buffer.from([0, 0, 0, 24, ...Buffer.from('ftypmif1'), 0, 0, 0, 0, ...Buffer.from('mif1heic')])
    expect(sniffType(ftyp).mime).toBe('image/heic')
  })

  it('should recognise an AVIF that lists avif after mif1', () => {
    const ftyp = Buffer.from([0, 0, 0, 24, ...Buffer.from('ftypmif1'), 0, 0, 0, 0, ...Buffer.from('mif1avif')])
    expect(sniffType(ftyp).mime).toBe('image/avif')
  })
})

describe('describeAccepted', () => {
  it('should list decodable types once, in a stable order', () => {
    expect(describeAccepted(['image/heif', 'image/webp', 'image/heic', 'image/jpeg', 'image/gif'])).toBe('JPEG, WebP, HEIC')
  })
})
