/**
 * Box-level reading of ISO base media files (HEIF, AVIF): headers, bounds-checked integers and
 * per-box views. Anything malformed throws {@link HeifFormatError}.
 */

export class HeifFormatError extends Error {
  constructor(message: string) {
    super(`HEIF: ${message}`)
    this.name = 'HeifFormatError'
  }
}

export type Box = {
  /** Offset of the first byte after the box header (a full box's version and flags come first there). */
  contentStart: number
  end: number
  start: number
  type: string
}

const MAX_BOXES = 10_000
/** Items, extents and property associations a real file needs are in the hundreds at most. */
const MAX_ENTRIES = 10_000

export const fourCC = (bytes: Uint8Array, offset: number): string =>
  String.fromCharCode(bytes[offset] ?? 0, bytes[offset + 1] ?? 0, bytes[offset + 2] ?? 0, bytes[offset + 3] ?? 0)

/** Big-endian unsigned integer of `size` bytes (0, 1, 2, 4 or 8) at `offset`, bounds-checked. */
export const readUint = (view: DataView, offset: number, size: number): number => {
  if (size === 0) {
    return 0
  }
  if (offset < 0 || offset + size > view.byteLength) {
    throw new HeifFormatError('field outside its box')
  }
  switch (size) {
    case 1:
      return view.getUint8(offset)
    case 2:
      return view.getUint16(offset)
    case 4:
      return view.getUint32(offset)
    case 8: {
      const value = view.getBigUint64(offset)
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new HeifFormatError('offset too large')
      }
      return Number(value)
    }
    default:
      throw new HeifFormatError(`unsupported field size ${size}`)
  }
}

/** The boxes between `start` and `end`, headers only. */
export const readBoxes = (bytes: Uint8Array, start: number, end: number): Box[] => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const boxes: Box[] = []
  let offset = start
  while (offset + 8 <= end) {
    if (boxes.length >= MAX_BOXES) {
      throw new HeifFormatError('too many boxes')
    }
    let size = readUint(view, offset, 4)
    const type = fourCC(bytes, offset + 4)
    let headerSize = 8
    if (size === 1) {
      size = readUint(view, offset + 8, 8)
      headerSize = 16
    } else if (size === 0) {
      size = end - offset
    }
    if (size < headerSize || offset + size > end) {
      throw new HeifFormatError(`box "${type}" overruns its parent`)
    }
    boxes.push({ contentStart: offset + headerSize, end: offset + size, start: offset, type })
    offset += size
  }
  return boxes
}

export const countWithin = (count: number, what: string): number => {
  if (count > MAX_ENTRIES) {
    throw new HeifFormatError(`too many ${what}`)
  }
  return count
}

export const childrenOf = (bytes: Uint8Array, box: Box, skip = 0): Box[] => readBoxes(bytes, box.contentStart + skip, box.end)

/** A view of one box, so that no field read for it can come from outside it. Offset 0 is its content. */
export const contentView = (bytes: Uint8Array, box: Box): DataView =>
  new DataView(bytes.buffer, bytes.byteOffset + box.contentStart, box.end - box.contentStart)

export const find = (boxes: Box[], type: string): Box | undefined => boxes.find((box) => box.type === type)
