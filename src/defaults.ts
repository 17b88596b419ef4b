import type { ImageSize } from 'payload'

import os from 'node:os'
import path from 'node:path'

export const defaultSlugs = {
  auditEvents: 'audit-events',
  consultationImages: 'consultation-images',
  consultations: 'consultations',
  lesions: 'lesions',
  shareLinks: 'share-links',
  users: 'users',
} as const

export const defaultAllowedMimeTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
]

/** Uploads stored at once: enough to keep every core busy while others wait on the disk or database. */
export const defaultMaxConcurrentUploads = (): number => Math.max(4, 2 * os.availableParallelism())

/** How long a shutdown waits for requests in flight before rolling back what is left. */
export const defaultShutdownTimeoutMs = 10_000

/** 10 MB, the seed's limit. */
export const defaultMaxFileSize = 10 * 1024 * 1024

/** 50 megapixels: above any phone's default photo (48 MP), far below a decompression bomb. */
export const defaultMaxPixels = 50_000_000

/** The seed's 300×300 JPEG q85 Lanczos thumbnail (sharp's default kernel is lanczos3), and a preview. */
export const defaultImageSizes: ImageSize[] = [
  {
    name: 'thumbnail',
    fit: 'cover',
    formatOptions: { format: 'jpeg', options: { mozjpeg: false, quality: 85 } },
    height: 300,
    position: 'centre',
    width: 300,
    // Always made, even from a photo smaller than 300 px: the gallery shows nothing but thumbnails.
    withoutEnlargement: false,
  },
  {
    name: 'preview',
    fit: 'inside',
    formatOptions: { format: 'jpeg', options: { quality: 85 } },
    height: 1600,
    width: 1600,
    withoutEnlargement: true,
  },
]

export const defaultUploadsDir = (): string =>
  path.resolve(process.cwd(), 'uploads', 'consultation-images')

/** A share link's validity when its creator names none, and the longest allowed, in days. */
export const defaultShareLinkDays = 7
export const defaultShareLinkMaxDays = 30
