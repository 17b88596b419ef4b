import type { Metadata, Sharp, SharpOptions } from 'sharp'

import type { DecodedHeic } from './heicPool.js'

import { embedIccProfile } from './jpegIcc.js'

/**
 * The sharp function: the host's `payload.config.sharp` or `import sharp from 'sharp'`. (With
 * sharp 0.35's ESM types, `typeof import('sharp')` is the module namespace, which is not callable.)
 */
export type SharpFunction = (input: Buffer, options?: SharpOptions) => Sharp

export type OutputFormat = 'jpeg' | 'png' | 'webp'

export type EncodedImage = { buffer: Buffer; format: OutputFormat; height: number; width: number }

/** JPEG and WebP are stored at this quality; PNG stays lossless. */
export const OUTPUT_QUALITY = 90

/**
 * Options for every pipeline reading untrusted input: a real decode that fails on errors and
 * truncation (benign decoder warnings from real cameras pass), and the pixel limit.
 */
export const inputOptions = (maxPixels: number): SharpOptions => ({ failOn: 'error', limitInputPixels: maxPixels })

const finish = async (pipeline: Sharp, format: OutputFormat): Promise<EncodedImage> => {
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true })
  return { buffer: data, format, height: info.height, width: info.width }
}

/**
 * Re-encodes a JPEG, PNG or WebP upright (EXIF orientation applied), keeping its ICC profile and
 * nothing else: EXIF (with GPS, serials, maker notes, thumbnail), XMP and IPTC are not copied.
 * JPEG → JPEG q90 (CMYK converted to sRGB); PNG → lossless PNG (16-bit stays 16-bit);
 * WebP → WebP q90 (alpha kept).
 */
export const encodeImage = (
  sharp: SharpFunction,
  data: Buffer,
  metadata: Partial<Pick<Metadata, 'depth'>>,
  format: OutputFormat,
  maxPixels: number,
): Promise<EncodedImage> => {
  const pipeline = sharp(data, inputOptions(maxPixels)).rotate().keepIccProfile()
  switch (format) {
    case 'jpeg':
      return finish(pipeline.toColourspace('srgb').jpeg({ quality: OUTPUT_QUALITY }), format)
    case 'png':
      return finish((metadata.depth === 'ushort' ? pipeline.toColourspace('rgb16') : pipeline).png(), format)
    case 'webp':
      return finish(pipeline.webp({ quality: OUTPUT_QUALITY }), format)
  }
}

/**
 * Encodes a decoded HEIC (already upright) as JPEG q90, transparency flattened onto white, with the
 * HEIC's own ICC profile embedded when it has one (pixels are left in that profile's colour space).
 */
export const encodeHeic = async (
  sharp: SharpFunction,
  decoded: DecodedHeic,
  icc: Uint8Array | undefined,
  maxPixels: number,
): Promise<EncodedImage> => {
  const raw = sharp(decoded.pixels, {
    limitInputPixels: maxPixels,
    raw: { channels: 4, height: decoded.height, width: decoded.width },
  })
  const opaque = decoded.hasAlpha ? raw.flatten({ background: '#ffffff' }) : raw.removeAlpha()
  const encoded = await finish(opaque.jpeg({ quality: OUTPUT_QUALITY }), 'jpeg')
  return icc ? { ...encoded, buffer: embedIccProfile(encoded.buffer, icc) } : encoded
}
