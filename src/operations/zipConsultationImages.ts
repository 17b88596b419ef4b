import type { Readable, TransformCallback } from 'node:stream'
import type { PayloadRequest, Where } from 'payload'

import { createHash } from 'node:crypto'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import ZipStream from 'zip-stream'

import type { FileStore } from '../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { isStoredFilename } from '../storage/fileStore.js'
import type { ManifestRow } from './zipManifest.js'

import { manifestColumns, openManifestSpool } from './zipManifest.js'

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

const selectedFields = Object.fromEntries(
  [...manifestColumns.filter((column) => !['entry', 'sha256', 'size'].includes(column)), 'filename', 'filesize'].map(
    (field) => [field, true],
  ),
)

/** Counts and hashes the bytes that flow through it, unchanged. */
class DigestStream extends Transform {
  readonly hash = createHash('sha256')
  size = 0
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk)
    this.size += chunk.length
    callback(null, chunk)
  }
}

/**
 * Writes one entry from `source` and resolves once the archive has taken all of it, with its size
 * and SHA-256. Rejects on a read error, an archive error or `signal`; the caller closes `source`.
 */
const appendEntry = async (
  zip: ZipStream,
  source: Readable,
  data: { date: Date; name: string; store: boolean },
  signal: AbortSignal,
): Promise<{ sha256: string; size: number }> => {
  const digest = new DigestStream()
  const added = new Promise<void>((resolve, reject) => {
    // The archive may still hold the entry's last bytes when the client goes: stop waiting then.
    const onAbort = (): void => {
      reject(signal.reason as Error)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    zip.entry(digest, data, (err) => {
      signal.removeEventListener('abort', onAbort)
      if (err) {
        reject(err)
      } else {
        resolve()
      }
    })
  })
  await Promise.all([pipeline(source, digest, { signal }), added])
  return { sha256: digest.hash.digest('hex'), size: digest.size }
}

/** Destroys a stream and waits until its file descriptor is closed. */
const closeStream = async (stream: { closed: boolean } & Readable): Promise<void> => {
  const closed = stream.closed ? undefined : new Promise((resolve) => stream.once('close', resolve))
  stream.destroy()
  await closed
}

/** Server-made parts only: position, ID, acquisition type and the stored file's extension. */
const entryName = (position: string, image: ImageRow, filename: string): string => {
  const kind = /^[a-z][a-z0-9-]{0,39}$/.test(image.acquisition ?? '') ? image.acquisition : 'image'
  return `images/${position}_${String(image.id).replace(/[^\w-]/g, '')}_${kind ?? 'image'}${path.extname(filename)}`
}

type WriteArchiveArgs = {
  config: SanitizedDermaImagesPluginConfig
  consultationId: number
  onImage: (id: number | string | undefined) => void
  pageSize: number
  req: PayloadRequest
  signal: AbortSignal
  store: FileStore
  zip: ZipStream
}

const appendImage = async (
  { signal, store, zip }: WriteArchiveArgs,
  image: ImageRow,
  position: string,
): Promise<ManifestRow> => {
  const { filename } = image
  if (!filename || !isStoredFilename(filename)) {
    throw new Error('payload-derma-images: an image row has no stored file')
  }
  const entry = entryName(position, image, filename)
  const file = store.openRead(filename)
  try {
    const date = image.createdAt ? new Date(image.createdAt) : new Date()
    const { sha256, size } = await appendEntry(zip, file, { date, name: entry, store: true }, signal)
    if (typeof image.filesize === 'number' && size !== image.filesize) {
      // A truncated or replaced file must break the archive, not pass as a shorter image.
      throw new Error('payload-derma-images: a stored file does not have its recorded size')
    }
    const values: Record<string, unknown> = { ...image, entry, sha256, size }
    return Object.fromEntries(manifestColumns.map((column) => [column, values[column] ?? null])) as ManifestRow
  } finally {
    await closeStream(file)
  }
}

/** The images one page at a time (keyset on `id`), each file streamed in turn, then the manifests. */
const writeArchive = async (args: WriteArchiveArgs): Promise<void> => {
  const { config, consultationId, onImage, pageSize, req, signal, zip } = args
  const collection = config.slugs.consultationImages
  const where: Where = { consultation: { equals: consultationId } }
  const { totalDocs } = await req.payload.count({ collection, overrideAccess: false, req, where })
  const digits = Math.max(3, String(totalDocs).length)
  const manifest = await openManifestSpool(consultationId)
  try {
    let position = 0
    let after: number | string | undefined
    do {
      signal.throwIfAborted()
      const { docs } = await req.payload.find({
        collection,
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
      for (const image of images) {
        signal.throwIfAborted()
        onImage(image.id)
        position += 1
        await manifest.add(await appendImage(args, image, String(position).padStart(digits, '0')))
      }
      after = images.length === pageSize ? images.at(-1)?.id : undefined
    } while (after !== undefined)
    onImage(undefined)
    const [json, csv] = await manifest.finish()
    const date = new Date()
    for (const [name, handle] of [['manifest.json', json], ['manifest.csv', csv]] as const) {
      const source = handle.createReadStream({ autoClose: false, start: 0 })
      try {
        await appendEntry(zip, source, { date, name, store: false }, signal)
      } finally {
        await closeStream(source)
      }
    }
    zip.finalize()
  } finally {
    await manifest.close()
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
  const zip = new ZipStream({ store: true })
  // Errors reach the reader through the iterator below; this keeps a late one from going unhandled.
  zip.on('error', () => undefined)
  const chunks = zip[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const controller = new AbortController()
  const stop = (): void => {
    controller.abort()
  }
  let current: number | string | undefined
  let producing: Promise<void> | undefined

  const start = (): Promise<void> => {
    req.signal?.addEventListener('abort', stop, { once: true })
    if (req.signal?.aborted) {
      stop()
    }
    const args = { config, consultationId, pageSize, req, signal: controller.signal, store, zip }
    return writeArchive({ ...args, onImage: (id) => { current = id } })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) {
          const { code, name } = err as NodeJS.ErrnoException
          req.payload.logger.error({ consultation: consultationId, errorCode: code ?? name, image: current, msg: 'payload-derma-images: image download failed mid-stream' })
        }
        zip.destroy(err instanceof Error ? err : new Error('payload-derma-images: download failed'))
      })
      .finally(() => { req.signal?.removeEventListener('abort', stop) })
  }

  return new ReadableStream<Uint8Array>(
    {
      cancel: async () => {
        stop()
        zip.destroy()
        await producing
      },
      pull: async (stream) => {
        producing ??= start()
        const chunk = await chunks.next()
        if (chunk.done === true) {
          stream.close()
        } else {
          stream.enqueue(chunk.value)
        }
      },
    },
    // Pull one chunk per read: the archive is written only as fast as the client takes it.
    { highWaterMark: 0 },
  )
}
