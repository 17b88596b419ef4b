import CRC32 from 'crc-32'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import { readZipEntries } from '../../test/helpers/zip.js'
import { getCrc32, javascriptCrc32 } from './crc32.js'
import { createArchiveWriter, readChunkBytes, readChunks } from './zipEntries.js'
import { localHeader } from './zipFormat.js'

type Read = { crc32: number; data: string; method: number; name: string; offset: number; size: number }

let dir: string

/** Compared as digests: Jest's deep equality walks a Buffer byte by byte. */
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'derma-zip-spec-'))
})

afterAll(async () => {
  await fs.rm(dir, { force: true, recursive: true })
})

const fileWith = async (name: string, data: Buffer): Promise<fs.FileHandle> => {
  await fs.writeFile(path.join(dir, name), data)
  return fs.open(path.join(dir, name), 'r')
}

const collect = async (chunks: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) {
    parts.push(chunk)
  }
  return Buffer.concat(parts)
}

/** A whole archive of `files` through the writer, the central directory spooled to a real file. */
const archive = async (files: Array<[string, Buffer]>, zip64From?: number): Promise<Buffer> => {
  const records: Buffer[] = []
  const addDirectoryRecord = (record: Buffer): Promise<void> => {
    records.push(record)
    return Promise.resolve()
  }
  const writer = createArchiveWriter({ addDirectoryRecord, crc32: (await getCrc32()).crc32, zip64From })
  const date = new Date('2026-11-24T07:35:10Z')
  const handles: fs.FileHandle[] = []
  const body = async function* () {
    for (const [name, data] of files) {
      yield* writer.entry(name, date, [data])
    }
    const directory = Buffer.concat(records)
    handles.push(await fileWith(`directory-${files.length}-${zip64From ?? 'none'}`, directory))
    yield* writer.end({ handle: handles[0]!, size: directory.length })
  }
  try {
    return await collect(body())
  } finally {
    await Promise.all(handles.map((handle) => handle.close()))
  }
}

const readArchive = async (bytes: Buffer): Promise<Read[]> =>
  (await readZipEntries(bytes)).map(({ data, entry }) => ({
    crc32: entry.crc32,
    data: sha256(data),
    method: entry.compressionMethod,
    name: entry.fileName,
    offset: entry.relativeOffsetOfLocalHeader,
    size: entry.uncompressedSize,
  }))

const files: Array<[string, Buffer]> = [
  ['images/001_1_dermoscopic.jpg', randomBytes(readChunkBytes * 2 + 17)],
  ['images/002_2_image.png', Buffer.alloc(0)],
  ['manifest.json', Buffer.from('{"images":[]}\n')],
]

const expected = (entries: Array<[string, Buffer]>) =>
  entries.map(([name, data]) => ({ crc32: CRC32.buf(data) >>> 0, data: sha256(data), method: 0, name, size: data.length }))

describe('getCrc32', () => {
  it('should load a native CRC-32 on this machine', async () => {
    expect((await getCrc32()).isNative).toBe(true)
  })

  it('should give the same CRC-32 from the JavaScript fallback, across chunks', async () => {
    const { crc32 } = await getCrc32()
    const [head, tail] = [randomBytes(70_001), randomBytes(3)]
    expect(javascriptCrc32(tail, javascriptCrc32(head, 0))).toBe(crc32(tail, crc32(head, 0)))
  })
})

describe('createArchiveWriter', () => {
  it('should write a STORE archive whose entries, sizes and CRC-32s a reader checks', async () => {
    const read = await readArchive(await archive(files))
    expect(read.map(({ offset: _offset, ...entry }) => entry)).toEqual(expected(files))
  })

  it('should point each central directory record at its local header', async () => {
    const read = await readArchive(await archive(files))
    const headerLengths = files.map(([name]) => localHeader(name, new Date()).length)
    const starts = files.map((_, index) => files.slice(0, index).reduce((at, [, data], before) => at + (headerLengths[before] ?? 0) + data.length + 16, 0))
    expect(read.map((entry) => entry.offset)).toEqual(starts)
  })

  it('should write ZIP64 offsets and end records that a reader follows', async () => {
    const read = await readArchive(await archive(files, 0))
    expect(read.map(({ offset: _offset, ...entry }) => entry)).toEqual(expected(files))
  })

  it('should write a valid archive without entries', async () => {
    expect(await readArchive(await archive([]))).toEqual([])
  })
})

describe('readChunks', () => {
  it('should read exactly the requested size in chunks of at most readChunkBytes', async () => {
    const data = randomBytes(readChunkBytes + 5)
    const handle = await fileWith('chunks', data)
    try {
      const chunks: Buffer[] = []
      for await (const chunk of readChunks(handle, data.length)) {
        chunks.push(chunk)
      }
      expect({ data: Buffer.concat(chunks).equals(data), sizes: chunks.map((chunk) => chunk.length) }).toEqual({ data: true, sizes: [readChunkBytes, 5] })
    } finally {
      await handle.close()
    }
  })

  it('should throw when the file is shorter than the requested size', async () => {
    const handle = await fileWith('short', randomBytes(10))
    try {
      await expect(collect(readChunks(handle, 11))).rejects.toThrow(/recorded size/)
    } finally {
      await handle.close()
    }
  })

  it('should give the chunks read before a failed read ahead, then its error', async () => {
    const handle = await fileWith('short-ahead', randomBytes(readChunkBytes + 10))
    try {
      const chunks = readChunks(handle, readChunkBytes * 3)
      const first = await chunks.next()
      // Let the read ahead fail while the consumer still holds the first chunk.
      await new Promise(setImmediate)
      expect([first.value?.length, await chunks.next().then(() => 'no error', (error: unknown) => (error as Error).message)]).toEqual([
        readChunkBytes,
        expect.stringMatching(/recorded size/),
      ])
    } finally {
      await handle.close()
    }
  })
})
