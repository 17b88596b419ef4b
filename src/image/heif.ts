/**
 * Reads what ingest needs from a HEIF container (ISO/IEC 23008-12) without decoding any pixels:
 * the primary image's size (`ispe`), every image's size, its ICC profile (`colr`) and its Exif
 * item. Every offset is bounds-checked; anything malformed throws {@link HeifFormatError}.
 */
import type { Box } from './heifBoxes.js'

import { childrenOf, contentView, countWithin, find, fourCC, HeifFormatError, readBoxes, readUint } from './heifBoxes.js'

export { HeifFormatError, readBoxes } from './heifBoxes.js'

export type HeifInfo = {
  /** The pixel count of the largest image in the file (primary, thumbnails, auxiliary images). */
  largestPixels: number
  /** The Exif payload as a TIFF structure ("II*\0…" or "MM\0*…"), when the file has one. */
  exif?: Uint8Array
  /** The primary image's raw ICC profile (`colr` of type `prof` or `rICC`), when it has one. */
  icc?: Uint8Array
  /** Item types of the primary image and of the images it is built from ("hvc1", "grid", "av01"…). */
  primaryCodecs: string[]
  /** Stored (pre-rotation) size of the primary image. */
  primary: { height: number; width: number }
}

const MAX_METADATA_BYTES = 4 * 1024 * 1024

type ItemLocation = { constructionMethod: number; extents: { length: number; offset: number }[] }

const parseIloc = (view: DataView): Map<number, ItemLocation> => {
  let offset = 0
  const version = readUint(view, offset, 1)
  offset += 4
  const sizes = readUint(view, offset, 2)
  offset += 2
  const offsetSize = sizes >> 12
  const lengthSize = (sizes >> 8) & 0xf
  const baseOffsetSize = (sizes >> 4) & 0xf
  const indexSize = version === 1 || version === 2 ? sizes & 0xf : 0
  const itemCount = countWithin(readUint(view, offset, version < 2 ? 2 : 4), 'items')
  offset += version < 2 ? 2 : 4
  const locations = new Map<number, ItemLocation>()
  let totalExtents = 0
  for (let item = 0; item < itemCount; item += 1) {
    const itemId = readUint(view, offset, version < 2 ? 2 : 4)
    offset += version < 2 ? 2 : 4
    let constructionMethod = 0
    if (version === 1 || version === 2) {
      constructionMethod = readUint(view, offset, 2) & 0xf
      offset += 2
    }
    offset += 2 // data_reference_index
    const baseOffset = readUint(view, offset, baseOffsetSize)
    offset += baseOffsetSize
    const extentCount = readUint(view, offset, 2)
    offset += 2
    totalExtents = countWithin(totalExtents + extentCount, 'extents')
    const extents: ItemLocation['extents'] = []
    for (let extent = 0; extent < extentCount; extent += 1) {
      offset += indexSize
      const extentOffset = readUint(view, offset, offsetSize)
      offset += offsetSize
      const length = readUint(view, offset, lengthSize)
      offset += lengthSize
      extents.push({ length, offset: baseOffset + extentOffset })
    }
    locations.set(itemId, { constructionMethod, extents })
  }
  return locations
}

const parseIinf = (bytes: Uint8Array, box: Box): Map<number, string> => {
  const version = readUint(contentView(bytes, box), 0, 1)
  const types = new Map<number, string>()
  for (const infe of childrenOf(bytes, box, 4 + (version === 0 ? 2 : 4))) {
    const view = contentView(bytes, infe)
    const infeVersion = infe.type === 'infe' ? readUint(view, 0, 1) : 0
    if (infeVersion >= 2) {
      const idSize = infeVersion === 2 ? 2 : 4
      const itemId = readUint(view, 4, idSize)
      readUint(view, 4 + idSize + 2, 4) // the item type must lie inside the box
      types.set(itemId, fourCC(bytes, infe.contentStart + 4 + idSize + 2))
    }
  }
  return types
}

/** Item id → ids it references with `type` (e.g. `dimg`: a grid's tiles; `cdsc`: metadata describing an image). */
const parseIref = (bytes: Uint8Array, box: Box | undefined, type: string): Map<number, number[]> => {
  const references = new Map<number, number[]>()
  if (!box) {
    return references
  }
  const idSize = readUint(contentView(bytes, box), 0, 1) === 0 ? 2 : 4
  for (const reference of childrenOf(bytes, box, 4).filter((child) => child.type === type)) {
    const view = contentView(bytes, reference)
    const fromId = readUint(view, 0, idSize)
    const count = readUint(view, idSize, 2)
    const toIds = Array.from({ length: count }, (_, index) => readUint(view, idSize + 2 + index * idSize, idSize))
    references.set(fromId, [...(references.get(fromId) ?? []), ...toIds])
  }
  return references
}

/** Item id → the 1-based indexes of its properties in `ipco`. */
const parseIpma = (view: DataView): Map<number, number[]> => {
  const version = readUint(view, 0, 1)
  const flags = readUint(view, 0, 4) & 0xffffff
  let offset = 4
  const entryCount = countWithin(readUint(view, offset, 4), 'property associations')
  offset += 4
  const associations = new Map<number, number[]>()
  for (let entry = 0; entry < entryCount; entry += 1) {
    const itemId = readUint(view, offset, version < 1 ? 2 : 4)
    offset += version < 1 ? 2 : 4
    const count = readUint(view, offset, 1)
    offset += 1
    const indexes: number[] = []
    for (let association = 0; association < count; association += 1) {
      indexes.push(flags & 1 ? readUint(view, offset, 2) & 0x7fff : readUint(view, offset, 1) & 0x7f)
      offset += flags & 1 ? 2 : 1
    }
    associations.set(itemId, [...(associations.get(itemId) ?? []), ...indexes])
  }
  return associations
}

const itemData = (bytes: Uint8Array, location: ItemLocation | undefined, idat: Box | undefined): Uint8Array | undefined => {
  if (!location || location.constructionMethod > 1 || (location.constructionMethod === 1 && !idat)) {
    return undefined
  }
  const base = location.constructionMethod === 1 && idat ? idat.contentStart : 0
  const limit = location.constructionMethod === 1 && idat ? idat.end : bytes.length
  const parts = location.extents.map(({ length, offset }) => {
    const start = base + offset
    const end = length === 0 ? limit : start + length
    if (end > limit || end - start > MAX_METADATA_BYTES) {
      throw new HeifFormatError('metadata item outside the file')
    }
    return bytes.subarray(start, end)
  })
  return parts.length === 1 ? parts[0] : Buffer.concat(parts)
}

/** Exif items start with a 4-byte offset to the TIFF header (usually past "Exif\0\0"). */
const exifTiff = (payload: Uint8Array | undefined): Uint8Array | undefined => {
  if (!payload || payload.length < 12) {
    return undefined
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength)
  const start = 4 + view.getUint32(0)
  const tiff = payload.subarray(start)
  const magic = fourCC(tiff, 0)
  return magic === 'II*\0' || magic === 'MM\0*' ? tiff : undefined
}

/** Checks that every item's data lies inside the file, so a truncated file fails before decoding. */
const assertItemsInFile = (locations: Map<number, ItemLocation>, fileLength: number): void => {
  for (const { constructionMethod, extents } of locations.values()) {
    if (constructionMethod === 0 && extents.some(({ length, offset }) => offset + length > fileLength)) {
      throw new HeifFormatError('image data extends past the end of the file (truncated?)')
    }
  }
}

/** Parses a HEIF/HEIC/AVIF container's structure. Throws {@link HeifFormatError} when it is malformed. */
export const parseHeif = (bytes: Uint8Array): HeifInfo => {
  const meta = find(readBoxes(bytes, 0, bytes.length), 'meta')
  if (!meta) {
    throw new HeifFormatError('no meta box')
  }
  const metaChildren = childrenOf(bytes, meta, 4)
  const pitm = find(metaChildren, 'pitm')
  const iinf = find(metaChildren, 'iinf')
  const iloc = find(metaChildren, 'iloc')
  const iprp = find(metaChildren, 'iprp')
  if (!pitm || !iinf || !iloc || !iprp) {
    throw new HeifFormatError('missing pitm, iinf, iloc or iprp')
  }
  const pitmView = contentView(bytes, pitm)
  const primaryId = readUint(pitmView, 4, readUint(pitmView, 0, 1) === 0 ? 2 : 4)
  const itemTypes = parseIinf(bytes, iinf)
  const locations = parseIloc(contentView(bytes, iloc))
  assertItemsInFile(locations, bytes.length)
  const iprpChildren = childrenOf(bytes, iprp)
  const ipco = find(iprpChildren, 'ipco')
  if (!ipco) {
    throw new HeifFormatError('no ipco box')
  }
  const properties = childrenOf(bytes, ipco)
  const associations = new Map<number, number[]>()
  for (const ipma of iprpChildren.filter((box) => box.type === 'ipma')) {
    for (const [itemId, indexes] of parseIpma(contentView(bytes, ipma))) {
      associations.set(itemId, [...(associations.get(itemId) ?? []), ...indexes])
    }
  }
  const propertiesOf = (itemId: number): Box[] =>
    (associations.get(itemId) ?? []).flatMap((index) => (index > 0 && properties[index - 1] ? [properties[index - 1] as Box] : []))

  const sizeOf = (box: Box): { height: number; width: number } => ({
    height: readUint(contentView(bytes, box), 8, 4),
    width: readUint(contentView(bytes, box), 4, 4),
  })
  const primaryIspe = find(propertiesOf(primaryId), 'ispe')
  if (!primaryIspe) {
    throw new HeifFormatError('the primary image has no size')
  }
  const primary = sizeOf(primaryIspe)
  const largestPixels = properties
    .filter((box) => box.type === 'ispe')
    .map(sizeOf)
    .reduce((largest, { height, width }) => Math.max(largest, width * height), 0)

  const iref = find(metaChildren, 'iref')
  const tiles = parseIref(bytes, iref, 'dimg').get(primaryId) ?? []
  const primaryCodecs = [...new Set([primaryId, ...tiles].map((id) => itemTypes.get(id) ?? 'unknown'))]

  const colr = find(propertiesOf(primaryId), 'colr')
  const colourType = colr && colr.end - colr.contentStart >= 4 ? fourCC(bytes, colr.contentStart) : undefined
  const icc = colr && (colourType === 'prof' || colourType === 'rICC') ? bytes.subarray(colr.contentStart + 4, colr.end) : undefined

  const describing = parseIref(bytes, iref, 'cdsc')
  const exifIds = [...itemTypes].filter(([, itemType]) => itemType === 'Exif').map(([id]) => id)
  const exifId = exifIds.find((id) => describing.get(id)?.includes(primaryId)) ?? exifIds[0]
  const idat = find(metaChildren, 'idat')
  const exif = exifId === undefined ? undefined : exifTiff(itemData(bytes, locations.get(exifId), idat))

  return { exif, icc, largestPixels, primary, primaryCodecs }
}
