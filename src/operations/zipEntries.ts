import type { FileHandle } from 'node:fs/promises'

import type { Crc32 } from './crc32.js'

import { centralDirectoryRecord, dataDescriptor, endOfArchive, localHeader } from './zipFormat.js'

/**
 * Bytes per read. Large reads keep the number of buffers, promises and stream chunks per file
 * small (a 2 MB photo is two reads, not thirty-two); with one read ahead, a download holds about
 * two of these.
 */
export const readChunkBytes = 1024 * 1024

const shortFile = (): Error => new Error('payload-derma-images: a stored file does not have its recorded size')

/** Fills `length` bytes from `position`, however many reads the system needs. */
const readBlock = async (handle: FileHandle, position: number, length: number): Promise<Buffer> => {
  const buffer = Buffer.allocUnsafeSlow(length)
  let filled = 0
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled)
    if (bytesRead === 0) {
      throw shortFile()
    }
    filled += bytesRead
  }
  return buffer
}

/**
 * Exactly `size` bytes of `handle`, in chunks of `readChunkBytes`, the next read already running
 * while the consumer handles a chunk. A file that ends early throws; the caller closes `handle`
 * (this waits for its own read before it returns).
 */
export async function* readChunks(handle: FileHandle, size: number): AsyncGenerator<Buffer, void, undefined> {
  const readFrom = (position: number): Promise<Buffer> | undefined => {
    if (position >= size) {
      return undefined
    }
    const read = readBlock(handle, position, Math.min(readChunkBytes, size - position))
    // The read ahead may fail while the consumer still holds the previous chunk: it is awaited
    // (and its error thrown) later, so it must not count as an unhandled rejection meanwhile.
    read.catch(() => undefined)
    return read
  }
  let next = readFrom(0)
  let position = 0
  try {
    while (next) {
      const chunk = await next
      position += chunk.length
      next = readFrom(position)
      yield chunk
    }
  } finally {
    await next?.catch(() => undefined)
  }
}

/**
 * Lays out a STORE ZIP as a sequence of chunks: each entry is its local header, its bytes as they
 * come (CRC-32 computed on the way) and its data descriptor; the central directory records
 * go to `addDirectoryRecord` (a spool) and come back at the end.
 */
export const createArchiveWriter = ({
  addDirectoryRecord,
  crc32,
  zip64From,
}: {
  addDirectoryRecord: (record: Buffer) => Promise<void>
  crc32: Crc32
  /** Offsets from which ZIP64 records are used; lower only to test them. @default 0xffffffff */
  zip64From?: number
}) => {
  let offset = 0
  let count = 0

  async function* entry(
    name: string,
    date: Date,
    source: AsyncIterable<Buffer> | Iterable<Buffer>,
    onChunk?: (chunk: Buffer) => void,
  ): AsyncGenerator<Uint8Array, { size: number }, undefined> {
    const start = offset
    const header = localHeader(name, date)
    offset += header.length
    yield header
    let crc = 0
    let size = 0
    for await (const chunk of source) {
      crc = crc32(chunk, crc)
      onChunk?.(chunk)
      size += chunk.length
      offset += chunk.length
      yield chunk
    }
    const descriptor = dataDescriptor(crc, size)
    offset += descriptor.length
    yield descriptor
    await addDirectoryRecord(centralDirectoryRecord({ crc32: crc, date, name, offset: start, size }, zip64From))
    count += 1
    return { size }
  }

  /** The spooled central directory, then the end records. */
  async function* end(directory: { handle: FileHandle; size: number }): AsyncGenerator<Uint8Array, void, undefined> {
    const directoryOffset = offset
    yield* readChunks(directory.handle, directory.size)
    yield endOfArchive({ count, offset: directoryOffset, size: directory.size }, zip64From)
  }

  return { end, entry }
}
