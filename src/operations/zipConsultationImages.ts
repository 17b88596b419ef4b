import type { PayloadRequest, Where } from 'payload'

import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

import type { FileStore } from '../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { ManifestRow } from './zipManifest.js'

import { isStoredFilename } from '../storage/fileStore.js'
import { getCrc32 } from './crc32.js'
import { createArchiveWriter, readChunks } from './zipEntries.js'
import { assertEntrySize } from './zipFormat.js'
import { manifestColumns, openArchiveSpool } from './zipManifest.js'

export type { ManifestRow } from './zipManifest.js'
export { manifestColumns } from './zipManifest.js'

/** An image row as selected below: the manifest's clinical columns plus the stored file's facts. */
type ImageRow = {
  acquisition?: null | string
  createdAt?: null | string
  filename?: null | string
  filesize?: null | number
  id: number | string
} & Record<string, unknown>

type Writer = ReturnType<typeof createArchiveWriter>

let hasWarnedOfSlowCrc = false

const selectedFields = Object.fromEntries(
  [...manifestColumns.filter((column) => !['entry', 'sha256', 'size'].includes(column)), 'filename', 'filesize'].map(
    (field) => [field, true],
  ),
)

/** Server-made parts only: position, ID, acquisition type and the stored file's extension. */
const entryName = (position: string, image: ImageRow, filename: string): string => {
  const kind = /^[a-z][a-z0-9-]{0,39}$/.test(image.acquisition ?? '') ? image.acquisition : 'image'
  return `images/${position}_${String(image.id).replace(/[^\w-]/g, '')}_${kind ?? 'image'}${path.extname(filename)}`
}

type ArchiveArgs = {
  config: SanitizedDermaImagesPluginConfig
  consultationId: number
  onImage: (id: number | string | undefined) => void
  pageSize: number
  req: PayloadRequest
  store: FileStore
}

/** The consultation's readable image rows, one page at a time (keyset on `id`). */
async function* imageRows({ config, pageSize, req }: ArchiveArgs, where: Where): AsyncGenerator<ImageRow> {
  let after: number | string | undefined
  do {
    const { docs } = await req.payload.find({
      collection: config.slugs.consultationImages,
      depth: 0,
      limit: pageSize,
      overrideAccess: false,
      pagination: false,
      req,
      select: selectedFields,
      sort: 'id',
      where: after === undefined ? where : { and: [where, { id: { greater_than: after } }] },
    })
    const images = docs as unknown as ImageRow[]
    yield* images
    after = images.length === pageSize ? images.at(-1)?.id : undefined
  } while (after !== undefined)
}

/** One original, byte for byte, and its manifest row (SHA-256 computed as the bytes go out). */
async function* imageEntry(writer: Writer, store: FileStore, image: ImageRow, position: string): AsyncGenerator<Uint8Array, ManifestRow> {
  const { filename } = image
  if (!filename || !isStoredFilename(filename)) {
    throw new Error('payload-derma-images: an image row has no stored file')
  }
  const entry = entryName(position, image, filename)
  const handle = await fs.open(store.resolve(filename), 'r')
  try {
    const { size } = await handle.stat()
    if (typeof image.filesize === 'number' && size !== image.filesize) {
      // A truncated or replaced file must break the archive, not pass as a shorter image.
      throw new Error('payload-derma-images: a stored file does not have its recorded size')
    }
    assertEntrySize(size)
    const hash = createHash('sha256')
    const date = image.createdAt ? new Date(image.createdAt) : new Date()
    yield* writer.entry(entry, date, readChunks(handle, size), (chunk) => hash.update(chunk))
    const values: Record<string, unknown> = { ...image, entry, sha256: hash.digest('hex'), size }
    return Object.fromEntries(manifestColumns.map((column) => [column, values[column] ?? null])) as ManifestRow
  } finally {
    await handle.close()
  }
}

/** Every image in ID order, then `manifest.json`, `manifest.csv` and the central directory. */
async function* archiveChunks(args: ArchiveArgs): AsyncGenerator<Uint8Array, void, undefined> {
  const { config, consultationId, onImage, req, store } = args
  const where: Where = { consultation: { equals: consultationId } }
  const { totalDocs } = await req.payload.count({ collection: config.slugs.consultationImages, overrideAccess: false, req, where })
  const digits = Math.max(3, String(totalDocs).length)
  const { crc32, isNative } = await getCrc32()
  if (!isNative && !hasWarnedOfSlowCrc) {
    hasWarnedOfSlowCrc = true
    req.payload.logger.warn({ msg: 'payload-derma-images: no native CRC-32 (@node-rs/crc32 not loadable); ZIP downloads use a slower JavaScript one' })
  }
  const spool = await openArchiveSpool(consultationId)
  try {
    const writer = createArchiveWriter({ addDirectoryRecord: spool.addDirectoryRecord, crc32 })
    let position = 0
    for await (const image of imageRows(args, where)) {
      onImage(image.id)
      position += 1
      await spool.addImage(yield* imageEntry(writer, store, image, String(position).padStart(digits, '0')))
    }
    onImage(undefined)
    const date = new Date()
    for (const [name, file] of await spool.finishManifests()) {
      yield* writer.entry(name, date, readChunks(file.handle, file.size))
    }
    yield* writer.end(await spool.finishDirectory())
  } finally {
    await spool.close()
  }
}

export type ZipConsultationImagesArgs = {
  config: SanitizedDermaImagesPluginConfig
  consultationId: number
  /** Image rows read per query. @default 100 */
  pageSize?: number
  /** The request of a user who may read the consultation; its access rules filter the images. */
  req: PayloadRequest
  store: FileStore
}

/**
 * A ZIP of a consultation's images, as a web stream that is written only as fast as it is read:
 * originals STOREd byte for byte under server-made names, then `manifest.json` and `manifest.csv`.
 *
 * Nothing starts before the first read. Cancelling the stream or aborting `req.signal` stops the
 * work and resolves once every file is closed. A failure errors the stream before the central
 * directory is written, so a broken download never looks like a complete archive.
 */
export const zipConsultationImages = ({
  config,
  consultationId,
  pageSize = 100,
  req,
  store,
}: ZipConsultationImagesArgs): ReadableStream<Uint8Array> => {
  let current: number | string | undefined
  const chunks = archiveChunks({ config, consultationId, onImage: (id) => { current = id }, pageSize, req, store })
  const { signal } = req
  // Every step of the generator runs after the previous one, whoever asks (a read, a cancel, an abort).
  let last: Promise<unknown> = Promise.resolve()
  const step = <T>(run: () => Promise<T>): Promise<T> => {
    const result = last.then(run)
    last = result.catch(() => undefined)
    return result
  }
  const aborted = (): Error => new Error('payload-derma-images: the download was aborted')
  // An abort between two reads closes the files at once; the next read then errors.
  const onAbort = (): void => { void step(() => chunks.return()) }
  signal?.addEventListener('abort', onAbort, { once: true })

  return new ReadableStream<Uint8Array>(
    {
      cancel: async () => {
        signal?.removeEventListener('abort', onAbort)
        await step(() => chunks.return())
      },
      pull: async (stream) => {
        try {
          const chunk = await step(() => (signal?.aborted ? chunks.throw(aborted()) : chunks.next()))
          if (chunk.done === true) {
            signal?.removeEventListener('abort', onAbort)
            stream.close()
          } else {
            stream.enqueue(chunk.value)
          }
        } catch (err) {
          signal?.removeEventListener('abort', onAbort)
          if (!signal?.aborted) {
            const { code, name } = err as NodeJS.ErrnoException
            req.payload.logger.error({ consultation: consultationId, errorCode: code ?? name, image: current, msg: 'payload-derma-images: image download failed mid-stream' })
          }
          // The reader gets an error of its own, without the file system's paths.
          throw signal?.aborted ? aborted() : new Error('payload-derma-images: the download failed mid-stream')
        }
      },
    },
    // Pull one chunk per read: the archive is written only as fast as the client takes it.
    { highWaterMark: 0 },
  )
}
