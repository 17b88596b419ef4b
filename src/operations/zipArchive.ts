import type { PayloadRequest, Where } from 'payload'

import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'

import type { FileStore } from '../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { ManifestValue } from './zipManifest.js'

import { isStoredFilename } from '../storage/fileStore.js'
import { getCrc32 } from './crc32.js'
import { createArchiveWriter, readChunks } from './zipEntries.js'
import { assertEntrySize } from './zipFormat.js'
import { openArchiveSpool } from './zipManifest.js'

/** An image row as a layout selects it: its clinical columns plus the stored file's facts. */
export type ImageRow = {
  acquisition?: null | string
  createdAt?: null | string
  filename?: null | string
  filesize?: null | number
  id: number | string
} & Record<string, unknown>

/** What an archive holds and how its entries and manifests are named: the one thing two ZIPs differ in. */
export type ArchiveLayout = {
  /** Manifest columns (CSV) and keys (JSON), in order. */
  columns: readonly string[]
  /** The date written in an image's ZIP headers. */
  entryDate: (image: ImageRow) => Date
  /** The image's name in the archive; `position` is its 1-based place, zero-padded. */
  entryName: (image: ImageRow, position: string) => string
  /** The first keys of `manifest.json`. */
  head: Record<string, unknown>
  /** The image's manifest row, from its row and the facts of the bytes sent. */
  row: (image: ImageRow, file: { entry: string; sha256: string; size: number }) => Record<string, ManifestValue>
  /** Fields read per image (besides `id`, `filename`, `filesize`). */
  select: readonly string[]
}

type Writer = ReturnType<typeof createArchiveWriter>

/**
 * Which images an archive holds: those matching `where` (on top of the user's read access), read
 * a page at a time as the archive is written; or `rows`, read beforehand and sent as they are.
 */
export type ArchiveSource = { rows: readonly ImageRow[] } | { where: Where }

type ArchiveArgs = {
  config: SanitizedDermaImagesPluginConfig
  layout: ArchiveLayout
  onImage: (id: number | string | undefined) => void
  pageSize: number
  /** Added to every position: the first image of page 2 of 100 is number 101. */
  positionOffset: number
  req: PayloadRequest
  source: ArchiveSource
  store: FileStore
}

let hasWarnedOfSlowCrc = false

/** The fields an archive reads per image: the layout's, and the stored file's name and size. */
export const archiveSelect = ({ select }: Pick<ArchiveLayout, 'select'>): Record<string, true> =>
  Object.fromEntries([...select, 'filename', 'filesize'].map((field) => [field, true]))

/** The source's rows: given ones as they are, else the readable rows matching `where`, one page at a time (keyset on `id`). */
async function* imageRows({ config, layout, pageSize, req, source }: ArchiveArgs): AsyncGenerator<ImageRow> {
  if ('rows' in source) {
    yield* source.rows
    return
  }
  const { where } = source
  const select = archiveSelect(layout)
  let after: number | string | undefined
  do {
    const { docs } = await req.payload.find({
      collection: config.slugs.consultationImages,
      depth: 0,
      limit: pageSize,
      overrideAccess: false,
      pagination: false,
      req,
      select,
      sort: 'id',
      where: after === undefined ? where : { and: [where, { id: { greater_than: after } }] },
    })
    const images = docs as unknown as ImageRow[]
    yield* images
    after = images.length === pageSize ? images.at(-1)?.id : undefined
  } while (after !== undefined)
}

/** One original, byte for byte, and its manifest row (SHA-256 computed as the bytes go out). */
async function* imageEntry(writer: Writer, { layout, store }: ArchiveArgs, image: ImageRow, position: string): AsyncGenerator<Uint8Array, Record<string, ManifestValue>> {
  const { filename } = image
  if (!filename || !isStoredFilename(filename)) {
    throw new Error('payload-derma-images: an image row has no stored file')
  }
  const entry = layout.entryName(image, position)
  const handle = await fs.open(store.resolve(filename), 'r')
  try {
    const { size } = await handle.stat()
    if (typeof image.filesize === 'number' && size !== image.filesize) {
      // A truncated or replaced file must break the archive, not pass as a shorter image.
      throw new Error('payload-derma-images: a stored file does not have its recorded size')
    }
    assertEntrySize(size)
    const hash = createHash('sha256')
    yield* writer.entry(entry, layout.entryDate(image), readChunks(handle, size), (chunk) => hash.update(chunk))
    return layout.row(image, { entry, sha256: hash.digest('hex'), size })
  } finally {
    await handle.close()
  }
}

/** Every image in ID order, then `manifest.json`, `manifest.csv` and the central directory. */
async function* archiveChunks(args: ArchiveArgs): AsyncGenerator<Uint8Array, void, undefined> {
  const { config, layout, onImage, positionOffset, req, source } = args
  const totalDocs = 'rows' in source
    ? source.rows.length
    : (await req.payload.count({ collection: config.slugs.consultationImages, overrideAccess: false, req, where: source.where })).totalDocs
  const digits = Math.max(3, String(totalDocs + positionOffset).length)
  const { crc32, isNative } = await getCrc32()
  if (!isNative && !hasWarnedOfSlowCrc) {
    hasWarnedOfSlowCrc = true
    req.payload.logger.warn({ msg: 'payload-derma-images: no native CRC-32 (@node-rs/crc32 not loadable); ZIP downloads use a slower JavaScript one' })
  }
  const spool = await openArchiveSpool(layout.head, layout.columns)
  try {
    const writer = createArchiveWriter({ addDirectoryRecord: spool.addDirectoryRecord, crc32 })
    let position = positionOffset
    for await (const image of imageRows(args)) {
      onImage(image.id)
      position += 1
      await spool.addImage(yield* imageEntry(writer, args, image, String(position).padStart(digits, '0')))
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

export type ZipImagesArgs = {
  config: SanitizedDermaImagesPluginConfig
  layout: ArchiveLayout
  /** IDs only, logged with a failure (never names). */
  logContext?: Record<string, number | string>
  /** Image rows read per query. @default 100 */
  pageSize?: number
  /** @default 0 */
  positionOffset?: number
  /** The request of the user the archive is for; its access rules filter the images. */
  req: PayloadRequest
  /** Which images: see `ArchiveSource`. */
  source: ArchiveSource
  store: FileStore
}

/**
 * A ZIP of the source's images, as a web stream that is written only as fast as
 * it is read: originals STOREd byte for byte under the layout's names, then `manifest.json` and
 * `manifest.csv`.
 *
 * Nothing starts before the first read. Cancelling the stream or aborting `req.signal` stops the
 * work and resolves once every file is closed. A failure errors the stream before the central
 * directory is written, so a broken download never looks like a complete archive.
 */
export const zipImages = ({ config, layout, logContext = {}, pageSize = 100, positionOffset = 0, req, source, store }: ZipImagesArgs): ReadableStream<Uint8Array> => {
  let current: number | string | undefined
  const chunks = archiveChunks({ config, layout, onImage: (id) => { current = id }, pageSize, positionOffset, req, source, store })
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
            req.payload.logger.error({ ...logContext, errorCode: code ?? name, image: current, msg: 'payload-derma-images: image download failed mid-stream' })
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
