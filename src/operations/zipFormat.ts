/**
 * The records of a STORE-only ZIP written as a stream (PKWARE APPNOTE 6.3): a local header before
 * each entry's bytes, a data descriptor after them (the CRC-32 is known only then), the central
 * directory and its end record, with ZIP64 end records and offsets once the archive passes 4 GiB.
 * No compression and no library between the files and the response: the caller streams the bytes
 * and computes the CRC-32 with a native implementation.
 */

const signatures = {
  centralDirectory: 0x02014b50,
  dataDescriptor: 0x08074b50,
  end: 0x06054b50,
  localHeader: 0x04034b50,
  zip64End: 0x06064b50,
  zip64Locator: 0x07064b50,
} as const

/** Bit 3: sizes and CRC-32 follow the data; bit 11: the name is UTF-8. */
const flags = 0x0008 | 0x0800
const version = { dataDescriptor: 20, zip64: 45 } as const
/** Made by Unix (3), so that `externalAttributes` carries the file mode. */
const madeBy = (needed: number): number => (3 << 8) | needed
/** A regular file, rw-r--r--. */
const externalAttributes = (0o100644 << 16) >>> 0
const max16 = 0xffff
const max32 = 0xffffffff

export type CentralEntry = { crc32: number; date: Date; name: string; offset: number; size: number }

/** MS-DOS date and time (two-second resolution, UTC, clamped to 1980–2107). */
const dosDateTime = (date: Date): { date: number; time: number } => {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107)
  return {
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
  }
}

/** Only entries below 4 GiB: larger ones would need ZIP64 sizes in the data descriptor. */
export const assertEntrySize = (size: number): void => {
  if (!Number.isSafeInteger(size) || size < 0 || size >= max32) {
    throw new Error('payload-derma-images: a ZIP entry must be smaller than 4 GiB')
  }
}

export const localHeader = (name: string, date: Date): Buffer => {
  const nameBytes = Buffer.from(name, 'utf8')
  const header = Buffer.alloc(30 + nameBytes.length)
  const dos = dosDateTime(date)
  header.writeUInt32LE(signatures.localHeader, 0)
  header.writeUInt16LE(version.dataDescriptor, 4)
  header.writeUInt16LE(flags, 6)
  // 8: method 0 (STORE); 14–25: CRC-32 and sizes are zero, they follow in the data descriptor.
  header.writeUInt16LE(dos.time, 10)
  header.writeUInt16LE(dos.date, 12)
  header.writeUInt16LE(nameBytes.length, 26)
  nameBytes.copy(header, 30)
  return header
}

export const dataDescriptor = (crc32: number, size: number): Buffer => {
  assertEntrySize(size)
  const record = Buffer.alloc(16)
  record.writeUInt32LE(signatures.dataDescriptor, 0)
  record.writeUInt32LE(crc32 >>> 0, 4)
  record.writeUInt32LE(size, 8)
  record.writeUInt32LE(size, 12)
  return record
}

/** One central directory record; an offset at or past `zip64From` goes into a ZIP64 extra field. */
export const centralDirectoryRecord = (entry: CentralEntry, zip64From = max32): Buffer => {
  const nameBytes = Buffer.from(entry.name, 'utf8')
  const isZip64 = entry.offset >= zip64From
  const extraLength = isZip64 ? 12 : 0
  const record = Buffer.alloc(46 + nameBytes.length + extraLength)
  const dos = dosDateTime(entry.date)
  const needed = isZip64 ? version.zip64 : version.dataDescriptor
  record.writeUInt32LE(signatures.centralDirectory, 0)
  record.writeUInt16LE(madeBy(needed), 4)
  record.writeUInt16LE(needed, 6)
  record.writeUInt16LE(flags, 8)
  record.writeUInt16LE(dos.time, 12)
  record.writeUInt16LE(dos.date, 14)
  record.writeUInt32LE(entry.crc32 >>> 0, 16)
  record.writeUInt32LE(entry.size, 20)
  record.writeUInt32LE(entry.size, 24)
  record.writeUInt16LE(nameBytes.length, 28)
  record.writeUInt16LE(extraLength, 30)
  // 32–37: no comment, disk 0, no internal attributes.
  record.writeUInt32LE(externalAttributes, 38)
  record.writeUInt32LE(isZip64 ? max32 : entry.offset, 42)
  nameBytes.copy(record, 46)
  if (isZip64) {
    const extra = 46 + nameBytes.length
    record.writeUInt16LE(0x0001, extra)
    record.writeUInt16LE(8, extra + 2)
    record.writeBigUInt64LE(BigInt(entry.offset), extra + 4)
  }
  return record
}

/**
 * The end of the archive, given the central directory's entry count, size and offset: the classic
 * end record, preceded by the ZIP64 end record and locator when any of them does not fit it.
 */
export const endOfArchive = (
  directory: { count: number; offset: number; size: number },
  zip64From = max32,
): Buffer => {
  const { count, offset, size } = directory
  const isZip64 = count >= max16 || offset >= zip64From || size >= zip64From
  const end = Buffer.alloc(22)
  end.writeUInt32LE(signatures.end, 0)
  end.writeUInt16LE(isZip64 ? max16 : count, 8)
  end.writeUInt16LE(isZip64 ? max16 : count, 10)
  end.writeUInt32LE(isZip64 ? max32 : size, 12)
  end.writeUInt32LE(isZip64 ? max32 : offset, 16)
  if (!isZip64) {
    return end
  }
  const zip64 = Buffer.alloc(56 + 20)
  zip64.writeUInt32LE(signatures.zip64End, 0)
  zip64.writeBigUInt64LE(44n, 4)
  zip64.writeUInt16LE(madeBy(version.zip64), 12)
  zip64.writeUInt16LE(version.zip64, 14)
  zip64.writeBigUInt64LE(BigInt(count), 24)
  zip64.writeBigUInt64LE(BigInt(count), 32)
  zip64.writeBigUInt64LE(BigInt(size), 40)
  zip64.writeBigUInt64LE(BigInt(offset), 48)
  // The locator points at the ZIP64 end record, which starts right after the central directory.
  zip64.writeUInt32LE(signatures.zip64Locator, 56)
  zip64.writeBigUInt64LE(BigInt(offset + size), 64)
  zip64.writeUInt32LE(1, 72)
  return Buffer.concat([zip64, end])
}
