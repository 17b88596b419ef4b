import type { Collection, CollectionBeforeOperationHook } from 'payload'

import { APIError } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { ingestImage, IngestError } from '../image/index.js'
import { makeStoredBasename, toOriginalFilename } from '../storage/names.js'
import { RefusedRequest } from '../utilities/refusedRequest.js'
import { withDermaContext } from './context.js'

type SharpModule = Parameters<typeof ingestImage>[2]

/** Declared image types by family; anything else (empty, octet-stream) declares nothing. */
const families: Record<string, string> = {
  'image/heic': 'HEIC',
  'image/heic-sequence': 'HEIC',
  'image/heif': 'HEIC',
  'image/heif-sequence': 'HEIC',
  'image/jpeg': 'JPEG',
  'image/jpg': 'JPEG',
  'image/pjpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
}

/**
 * A file declared as one image type whose bytes are another (a PNG sent as a JPEG) is refused:
 * clients that mislabel files are either broken or probing, and the clinic should know.
 */
const checkDeclaredType = (declared: string, detected: string): void => {
  const declaredFamily = families[declared.toLowerCase()]
  const detectedFamily = families[detected]
  if (declaredFamily && detectedFamily && declaredFamily !== detectedFamily) {
    throw new RefusedRequest(`This file was sent as a ${declaredFamily} image but is a ${detectedFamily} image; send it with its real type.`, 415)
  }
}

type OperationArgs = Parameters<CollectionBeforeOperationHook>[0]['args']

/**
 * This operation's arguments, adjusted for a file ingest already processed:
 * - a copy of the collection whose upload config has no `imageSizes`, so that Payload's
 *   `generateFileData` does not make the sizes a second time, one after the other, from the
 *   re-encoded original. The collection's fields (the `sizes` group and its columns), Payload's
 *   file route and the admin still see the configured sizes; ingest made them and
 *   `recordIngestedSizes` describes them.
 * - `overwriteExistingFiles`, which only skips Payload's search for a free file name (a query and
 *   a stat): the name is a new UUID, the `filename` column is unique and the plugin's store never
 *   replaces a file (`link` fails on an existing name).
 */
const forIngestedFile = (args: OperationArgs): OperationArgs => {
  const { collection } = args as { collection: Collection }
  const upload = { ...collection.config.upload, imageSizes: undefined }
  return { ...args, collection: { ...collection, config: { ...collection.config, upload } }, overwriteExistingFiles: true }
}

/**
 * The one way in for every image (REST, the Local API, the admin, bulk upload): before Payload
 * sees an incoming file, it is recognised by its bytes, checked against the limits, decoded (HEIC
 * in a worker), re-encoded upright with only its ICC profile, and renamed by the server. The
 * clinical EXIF read on the way travels in `req.context` to `protectServerFields`.
 */
export const getIngestUploadHook =
  ({ allowedMimeTypes, imageSizes, maxFileSize, maxPixels }: SanitizedDermaImagesPluginConfig): CollectionBeforeOperationHook =>
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the union merely includes the deprecated 'read'
  async ({ args, operation, req }) => {
    const file = req.file
    if (!file || (operation !== 'create' && operation !== 'update')) {
      return args
    }
    const sharp = req.payload.config.sharp as unknown as SharpModule | undefined
    if (!sharp) {
      throw new APIError('Image processing is not configured (the app has no sharp).', 500)
    }
    const input = file.tempFilePath && file.data.length === 0 ? { path: file.tempFilePath } : { data: file.data }
    try {
      const image = await ingestImage(input, { allowedMimeTypes, maxFileSize, maxPixels }, sharp, imageSizes)
      checkDeclaredType(file.mimetype, image.detectedType)
      req.file = {
        data: image.buffer,
        mimetype: image.mimeType,
        name: `${makeStoredBasename()}.${image.extension}`,
        size: image.buffer.length,
      }
      req.context = withDermaContext(req.context, { ingestedExif: image.exif, ingestedSizes: image.derivatives })
    } catch (error) {
      if (error instanceof IngestError) {
        throw new RefusedRequest(error.message, error.status)
      }
      throw error
    }
    const data = (args as { data?: Record<string, unknown> }).data
    return { ...forIngestedFile(args), data: { ...data, originalFilename: toOriginalFilename(file.name) } }
  }
