import sharp from 'sharp'

import { fixtures } from '../../test/fixtures/index.js'
import { embedIccProfile } from './jpegIcc.js'

const plainJpeg = () => sharp({ create: { background: '#336699', channels: 3, height: 8, width: 8 } }).jpeg().toBuffer()

describe('embedIccProfile', () => {
  it('should embed a profile that sharp reads back byte for byte', async () => {
    const { icc } = await sharp(fixtures.jpegPrivate.path).metadata()
    const jpeg = embedIccProfile(await plainJpeg(), icc ?? Buffer.alloc(0))
    const metadata = await sharp(jpeg).metadata()
    expect(metadata.icc?.equals(icc ?? Buffer.alloc(0))).toBe(true)
  })

  it('should split a profile larger than one segment and keep it whole', async () => {
    const { icc } = await sharp(fixtures.jpegPrivate.path).metadata()
    const large = Buffer.concat([icc ?? Buffer.alloc(0), Buffer.alloc(150_000)])
    large.writeUInt32BE(large.length, 0)
    const metadata = await sharp(embedIccProfile(await plainJpeg(), large)).metadata()
    expect(metadata.icc?.length).toBe(large.length)
  })

  it('should leave the JPEG unchanged when the profile is not an ICC profile', async () => {
    const jpeg = await plainJpeg()
    expect(embedIccProfile(jpeg, Buffer.from('not a profile')).equals(jpeg)).toBe(true)
  })
})
