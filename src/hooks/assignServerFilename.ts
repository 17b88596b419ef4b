import type { CollectionBeforeOperationHook } from 'payload'

import { APIError } from 'payload'
import { randomUUID } from 'node:crypto'
import sanitizeFilename from 'sanitize-filename'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

/** The user's file name, kept as metadata only: no path, no control characters, 200 chars max. */
export const toOriginalFilename = (name: string): string =>
  sanitizeFilename(name.normalize('NFC').split(/[\\/]/).pop() ?? '', { replacement: '_' })
    .trim()
    .slice(0, 200) || 'image'

const extensionByMimeType: Record<string, string> = {
  'image/heic': '.heic',
  'image/heif': '.heif',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
}

const formatMB = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** `{timestamp}_{uuid}.ext`, e.g. `20261124T052501Z_4f0c….jpg`: unique, sortable, never the user's. */
export const makeStoredBasename = (date = new Date()): string =>
  `${date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}_${randomUUID()}`

/**
 * Before Payload handles an incoming file: refuse it early when too large or of a type that is not
 * accepted, keep its sanitised name as `originalFilename`, and give it a server-made name so that
 * nothing the client sends ever reaches a disk path.
 */
export const getAssignServerFilenameHook =
  ({ allowedMimeTypes, maxFileSize }: SanitizedDermaImagesPluginConfig): CollectionBeforeOperationHook =>
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the union merely includes the deprecated 'read'
  ({ args, operation, req }) => {
    const file = req.file
    if (!file || (operation !== 'create' && operation !== 'update')) {
      return args
    }
    if (file.size === 0) {
      throw new APIError('The file is empty.', 400, undefined, true)
    }
    if (file.size > maxFileSize) {
      throw new APIError(
        `The file is ${formatMB(file.size)}; the limit is ${formatMB(maxFileSize)}.`,
        413,
        undefined,
        true,
      )
    }
    if (!allowedMimeTypes.includes(file.mimetype)) {
      throw new APIError(
        `Unsupported file type ${file.mimetype || 'unknown'}; accepted: ${allowedMimeTypes.join(', ')}.`,
        415,
        undefined,
        true,
      )
    }
    const originalFilename = toOriginalFilename(file.name)
    req.file = { ...file, name: `${makeStoredBasename()}${extensionByMimeType[file.mimetype] ?? ''}` }
    const data = (args as { data?: Record<string, unknown> }).data
    return { ...args, data: { ...data, originalFilename } }
  }
