import type { CollectionSlug } from 'payload'

import type { DermaImagesPluginConfig, SanitizedDermaImagesPluginConfig } from './types.js'

import {
  defaultAllowedMimeTypes,
  defaultImageSizes,
  defaultMaxConcurrentUploads,
  defaultMaxFileSize,
  defaultMaxPixels,
  defaultShareLinkDays,
  defaultShareLinkMaxDays,
  defaultShutdownTimeoutMs,
  defaultSlugs,
  defaultUploadsDir,
} from './defaults.js'

/** Resolves the user's options once into a fully defaulted, validated config. */
export const sanitizePluginConfig = (
  options: DermaImagesPluginConfig = {},
): SanitizedDermaImagesPluginConfig => {
  const maxFileSize = options.maxFileSize ?? defaultMaxFileSize
  if (!Number.isInteger(maxFileSize) || maxFileSize <= 0) {
    throw new Error('payload-derma-images: maxFileSize must be a positive integer (bytes).')
  }
  const maxPixels = options.maxPixels ?? defaultMaxPixels
  if (!Number.isInteger(maxPixels) || maxPixels <= 0) {
    throw new Error('payload-derma-images: maxPixels must be a positive integer.')
  }
  const imageSizes = options.imageSizes ?? defaultImageSizes
  if (!imageSizes.some((size) => size.name === 'thumbnail')) {
    throw new Error('payload-derma-images: imageSizes must include a size named "thumbnail".')
  }
  const maxConcurrentUploads = options.maxConcurrentUploads ?? defaultMaxConcurrentUploads()
  if (!Number.isInteger(maxConcurrentUploads) || maxConcurrentUploads <= 0) {
    throw new Error('payload-derma-images: maxConcurrentUploads must be a positive integer.')
  }
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? defaultShutdownTimeoutMs
  if (!Number.isInteger(shutdownTimeoutMs) || shutdownTimeoutMs < 0) {
    throw new Error('payload-derma-images: shutdownTimeoutMs must be a non-negative integer (milliseconds).')
  }
  const allowedMimeTypes = options.allowedMimeTypes ?? defaultAllowedMimeTypes
  if (allowedMimeTypes.length === 0) {
    throw new Error('payload-derma-images: allowedMimeTypes must not be empty.')
  }
  const trustedProxyHops = options.audit?.trustedProxyHops ?? 0
  if (!Number.isInteger(trustedProxyHops) || trustedProxyHops < 0) {
    throw new Error('payload-derma-images: audit.trustedProxyHops must be a non-negative integer.')
  }
  const retentionDays = options.audit?.retentionDays
  // The append-only trigger accepts at most six digits of days.
  if (retentionDays !== undefined && (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 999_999)) {
    throw new Error('payload-derma-images: audit.retentionDays must be a whole number of days from 1 to 999999 (unset: keep forever).')
  }
  const maxDays = options.shareLinks?.maxDays ?? defaultShareLinkMaxDays
  if (!Number.isInteger(maxDays) || maxDays <= 0) {
    throw new Error('payload-derma-images: shareLinks.maxDays must be a positive integer (days).')
  }
  const defaultDays = options.shareLinks?.defaultDays ?? Math.min(defaultShareLinkDays, maxDays)
  if (!Number.isInteger(defaultDays) || defaultDays <= 0 || defaultDays > maxDays) {
    throw new Error('payload-derma-images: shareLinks.defaultDays must be a positive integer no greater than shareLinks.maxDays.')
  }
  return {
    allowedMimeTypes: [...allowedMimeTypes],
    audit: { retentionDays, trustedProxyHops },
    disabled: options.disabled ?? false,
    imageSizes: imageSizes.map((size) => ({ ...size })),
    maxConcurrentUploads,
    maxFileSize,
    maxPixels,
    shareLinks: { defaultDays, maxDays },
    shutdownTimeoutMs,
    // The host's slugs: only its generated types can name them, so they are asserted here once.
    slugs: {
      auditEvents: (options.slugs?.auditEvents ?? defaultSlugs.auditEvents) as CollectionSlug,
      consultationImages: (options.slugs?.consultationImages ?? defaultSlugs.consultationImages) as CollectionSlug,
      consultations: (options.slugs?.consultations ?? defaultSlugs.consultations) as CollectionSlug,
      lesions: (options.slugs?.lesions ?? defaultSlugs.lesions) as CollectionSlug,
      shareLinks: (options.slugs?.shareLinks ?? defaultSlugs.shareLinks) as CollectionSlug,
      users: (options.slugs?.users ?? defaultSlugs.users) as CollectionSlug,
    },
    uploadsDir: options.uploadsDir ?? defaultUploadsDir(),
  }
}
