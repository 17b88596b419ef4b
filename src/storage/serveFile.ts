import type { CollectionSlug, PayloadRequest, TypeWithID, Where } from 'payload'

import { Readable } from 'node:stream'
import parseRange from 'range-parser'

import type { FileAudit } from '../audit/fileAudit.js'
import type { FileStore } from './fileStore.js'

import { isStoredFilename } from './fileStore.js'

type StoredDoc = {
  filename?: null | string
  mimeType?: null | string
  sizes?: null | Record<string, { filename?: null | string; mimeType?: null | string } | undefined>
} & TypeWithID

const errorResponse = (message: string, status: number): Response =>
  Response.json({ errors: [{ message }] }, { headers: baseHeaders(), status })

const baseHeaders = (): Headers =>
  new Headers({
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  })

const findMimeType = (doc: StoredDoc, filename: string): string | undefined => {
  if (doc.filename === filename) {
    return doc.mimeType ?? undefined
  }
  const size = Object.values(doc.sizes ?? {}).find((entry) => entry?.filename === filename)
  return size?.mimeType ?? undefined
}

/** `original`, or the name of the image size the file is. */
const variantOf = (doc: StoredDoc, filename: string): string =>
  doc.filename === filename ? 'original' : (Object.entries(doc.sizes ?? {}).find(([, entry]) => entry?.filename === filename)?.[0] ?? 'unknown')

/**
 * Payload hands the handler the document its read access matched, except when access is a plain
 * `true` (admins); then the row is looked up here, so a file without a row is never served.
 */
const findDoc = async (
  req: PayloadRequest,
  collection: CollectionSlug,
  filename: string,
  sizeNames: string[],
): Promise<StoredDoc | undefined> => {
  const where: Where = {
    or: [
      { filename: { equals: filename } },
      ...sizeNames.map((name) => ({ [`sizes.${name}.filename`]: { equals: filename } })),
    ],
  }
  const { docs } = await req.payload.find({
    collection,
    depth: 0,
    limit: 1,
    overrideAccess: false,
    pagination: false,
    req,
    where,
  })
  return docs[0]
}

type ServeArgs = { doc?: StoredDoc; filename: string }

/**
 * Streams a stored original or derivative after Payload's access check, privately
 * (`Cache-Control: private, no-store`), with `nosniff`, its stored MIME type and byte ranges.
 */
export const getServeFileHandler =
  ({ audit, collection, sizeNames, store }: { audit?: FileAudit; collection: CollectionSlug; sizeNames: string[]; store: FileStore }) =>
  async (req: PayloadRequest, { doc: matched, filename }: ServeArgs): Promise<Response> => {
    audit?.begin(req)
    if (!isStoredFilename(filename)) {
      await audit?.refused(req, 404, filename)
      return errorResponse('Not Found', 404)
    }
    const doc = matched ?? (await findDoc(req, collection, filename, sizeNames))
    const mimeType = doc ? findMimeType(doc, filename) : undefined
    const stats = mimeType ? await store.stat(filename) : undefined
    if (!doc || !mimeType || !stats) {
      if (doc && mimeType) {
        req.payload.logger.error({ id: doc.id, msg: 'payload-derma-images: stored file is missing' })
      }
      await audit?.refused(req, 404, filename)
      return errorResponse('Not Found', 404)
    }
    if (req.method !== 'HEAD' && audit && !(await audit.served(req, doc, variantOf(doc, filename)))) {
      return errorResponse('The file cannot be served right now.', 503)
    }
    const headers = baseHeaders()
    headers.set('Accept-Ranges', 'bytes')
    headers.set('Content-Disposition', `inline; filename="${filename}"`)
    headers.set('Content-Type', mimeType)
    headers.set('ETag', `"${stats.size.toString(16)}-${stats.mtimeMs.toString(16)}"`)
    headers.set('Last-Modified', stats.mtime.toUTCString())

    const rangeHeader = req.headers.get('range')
    const ranges = rangeHeader ? parseRange(stats.size, rangeHeader, { combine: true }) : undefined
    if (ranges === -1) {
      headers.set('Content-Range', `bytes */${stats.size}`)
      return new Response(null, { headers, status: 416 })
    }
    // A single range is served partially; malformed or multi-range headers get the whole file.
    const range = Array.isArray(ranges) && ranges.length === 1 ? ranges[0] : undefined
    const start = range?.start ?? 0
    const end = range?.end ?? stats.size - 1
    headers.set('Content-Length', String(end - start + 1))
    if (range) {
      headers.set('Content-Range', `bytes ${start}-${end}/${stats.size}`)
    }
    if (req.method === 'HEAD') {
      return new Response(null, { headers, status: range ? 206 : 200 })
    }
    const body = Readable.toWeb(store.openRead(filename, { end, start })) as ReadableStream
    return new Response(body, { headers, status: range ? 206 : 200 })
  }

/** Adapts the handler to the shape of Payload's `upload.handlers`. */
export const toUploadHandler =
  (serve: ReturnType<typeof getServeFileHandler>) =>
  (
    req: PayloadRequest,
    args: { doc: TypeWithID | undefined; params: { filename: string } },
  ): Promise<Response> =>
    serve(req, { doc: args.doc, filename: args.params.filename })

