/** What the bytes are, independent of the file's name or declared type. */
export type SniffedType = {
  /** The MIME type the bytes belong to, `application/octet-stream` when unknown. */
  mime: string
  /** How a user would name it, with its article: "a GIF image", "an HTML document". */
  label: string
}

/** The types the pipeline can decode, with the name shown in "accepted: …" messages. */
export const decodableTypes = {
  'image/heic': 'HEIC',
  'image/heif': 'HEIC',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
} as const satisfies Record<string, string>

export type DecodableType = keyof typeof decodableTypes

export const isDecodableType = (mime: string): mime is DecodableType => Object.hasOwn(decodableTypes, mime)

/** How many leading bytes `sniffType` looks at. */
export const SNIFF_BYTES = 4096

const heicBrands = new Set(['heic', 'heim', 'heis', 'heix', 'hevc', 'hevm', 'hevs', 'hevx'])
const avifBrands = new Set(['avif', 'avis'])
const heifBrands = new Set(['mif1', 'mif2', 'msf1'])

const type = (mime: string, label: string): SniffedType => ({ label, mime })
const unknown = type('application/octet-stream', 'not a recognised image')

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)))

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean =>
  bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte)

/** ISO base media files (HEIF, AVIF, MP4, QuickTime) declare their brands in a leading `ftyp` box. */
const sniffIsoMedia = (bytes: Uint8Array): SniffedType | undefined => {
  if (bytes.length < 12 || ascii(bytes, 4, 8) !== 'ftyp') {
    return undefined
  }
  const size = ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)
  const major = ascii(bytes, 8, 12)
  const brands = [major]
  // At most 64 compatible brands: a forged ftyp size must not make this loop long.
  for (let offset = 16; offset + 4 <= Math.min(size, bytes.length, 16 + 64 * 4); offset += 4) {
    brands.push(ascii(bytes, offset, offset + 4))
  }
  if (avifBrands.has(major) || (!heicBrands.has(major) && brands.some((brand) => avifBrands.has(brand)))) {
    return type('image/avif', 'an AVIF image')
  }
  if (brands.some((brand) => heicBrands.has(brand))) {
    return type('image/heic', 'a HEIC image')
  }
  if (brands.some((brand) => heifBrands.has(brand))) {
    return type('image/heif', 'a HEIF image')
  }
  if (major === 'qt  ') {
    return type('video/quicktime', 'a QuickTime video')
  }
  return type('video/mp4', 'a video')
}

const binarySignatures: readonly { label: string; mime: string; signature: readonly number[] }[] = [
  { label: 'a JPEG image', mime: 'image/jpeg', signature: [0xff, 0xd8, 0xff] },
  { label: 'a PNG image', mime: 'image/png', signature: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { label: 'a GIF image', mime: 'image/gif', signature: [0x47, 0x49, 0x46, 0x38] },
  { label: 'a TIFF image', mime: 'image/tiff', signature: [0x49, 0x49, 0x2a, 0x00] },
  { label: 'a TIFF image', mime: 'image/tiff', signature: [0x4d, 0x4d, 0x00, 0x2a] },
  { label: 'a TIFF image', mime: 'image/tiff', signature: [0x49, 0x49, 0x2b, 0x00] },
  { label: 'a PDF document', mime: 'application/pdf', signature: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { label: 'an icon file', mime: 'image/x-icon', signature: [0x00, 0x00, 0x01, 0x00] },
  { label: 'a Photoshop document', mime: 'image/vnd.adobe.photoshop', signature: [0x38, 0x42, 0x50, 0x53] },
  { label: 'a JPEG XL image', mime: 'image/jxl', signature: [0xff, 0x0a] },
  { label: 'a JPEG XL image', mime: 'image/jxl', signature: [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20] },
  { label: 'a JPEG 2000 image', mime: 'image/jp2', signature: [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20] },
  { label: 'a ZIP archive', mime: 'application/zip', signature: [0x50, 0x4b, 0x03, 0x04] },
  { label: 'a gzip archive', mime: 'application/gzip', signature: [0x1f, 0x8b] },
  { label: 'an RTF document', mime: 'application/rtf', signature: [0x7b, 0x5c, 0x72, 0x74, 0x66] },
]

const sniffRiff = (bytes: Uint8Array): SniffedType | undefined => {
  if (ascii(bytes, 0, 4) !== 'RIFF') {
    return undefined
  }
  const form = ascii(bytes, 8, 12)
  if (form === 'WEBP') {
    return type('image/webp', 'a WebP image')
  }
  return form === 'WAVE' ? type('audio/wav', 'an audio file') : form === 'AVI ' ? type('video/x-msvideo', 'a video') : unknown
}

/** Text formats have no magic bytes: look at what the text starts with. */
const sniffText = (bytes: Uint8Array): SniffedType | undefined => {
  const head = bytes.subarray(0, SNIFF_BYTES)
  // Control characters other than tab, newline, form feed and carriage return mean binary data.
  if (head.some((byte) => byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d)) {
    return undefined
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/^\uFEFF/, '').trimStart().toLowerCase()
  if (text.startsWith('<')) {
    if (/<svg[\s>]/.test(text)) {
      return type('image/svg+xml', 'an SVG image')
    }
    if (/^<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>]|<iframe[\s>]/.test(text)) {
      return type('text/html', 'an HTML document')
    }
    if (text.startsWith('<?xml')) {
      return type('application/xml', 'an XML document')
    }
  }
  return type('text/plain', 'a text file')
}

/**
 * Recognises a file by its leading bytes (at least the first {@link SNIFF_BYTES}), never by its
 * name or declared type. Decodable types are confirmed later by a real decode.
 */
export const sniffType = (bytes: Uint8Array): SniffedType => {
  const riff = sniffRiff(bytes)
  if (riff) {
    return riff
  }
  const isoMedia = sniffIsoMedia(bytes)
  if (isoMedia) {
    return isoMedia
  }
  const binary = binarySignatures.find(({ signature }) => startsWith(bytes, signature))
  if (binary) {
    return type(binary.mime, binary.label)
  }
  // BMP's two-letter signature is checked after text, so a text file starting with "BM" stays text.
  return sniffText(bytes) ?? (startsWith(bytes, [0x42, 0x4d]) ? type('image/bmp', 'a BMP image') : unknown)
}

/** "JPEG, PNG, WebP, HEIC": the decodable types in `allowedMimeTypes`, in a stable order. */
export const describeAccepted = (allowedMimeTypes: readonly string[]): string => {
  const names = new Set(allowedMimeTypes.filter(isDecodableType).map((mime) => decodableTypes[mime]))
  const ordered = ['JPEG', 'PNG', 'WebP', 'HEIC'].filter((name) => names.has(name as (typeof decodableTypes)[DecodableType]))
  return ordered.length > 0 ? ordered.join(', ') : 'none'
}

/**
 * Whether a sniffed type may be ingested. HEIC and HEIF are one family (a phone's HEIC may carry
 * either brand first): allowing either MIME type accepts both.
 */
export const isAllowedType = (mime: DecodableType, allowedMimeTypes: readonly string[]): boolean =>
  mime === 'image/heic' || mime === 'image/heif'
    ? allowedMimeTypes.includes('image/heic') || allowedMimeTypes.includes('image/heif')
    : allowedMimeTypes.includes(mime)
