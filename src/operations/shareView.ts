import type { ResolvedShare, SharedImageDoc } from './shareGallery.js'

import { captureTimeOf } from './shareGallery.js'
import { shareApiPath, shareImageKey } from './shareToken.js'

type SizeView = { height?: number; url: string; width?: number }

/** One image of a shared gallery: clinical codes only, named by its key within the link. */
export type SharedImageView = {
  acquisition?: string
  bodySite?: string
  /** The capture (or upload) date; only when the link shows identity. */
  capturedAt?: string
  /** Days since the gallery's first image: instead of dates when the link hides identity. */
  day: number
  /** The clinician's free text, written for the chart (it may name the patient): only when the link shows identity. */
  description?: string
  height?: number
  key: string
  laterality?: string
  mimeType?: string
  original: SizeView
  role?: string
  sizes: Record<string, SizeView>
  width?: number
}

/**
 * `GET /api/share/:token`: what the recipient sees. With `hideIdentity`, nothing the HIPAA Safe
 * Harbor method calls an identifier: no name, no ID of a patient, a consultation or an image, no
 * file name, no date (days relative to the first image instead; the expiry as a duration), and no
 * free text written for the chart (image descriptions, the consultation's reason, the lesion's
 * label), which may name the patient. The link's own note, written for the recipient in the share
 * drawer (which says it is shown as written), stays.
 */
export type SharedGalleryView = {
  consultation?: { date?: string; reason?: string }
  expiresAt?: string
  expiresInSeconds: number
  hideIdentity: boolean
  images: SharedImageView[]
  lesion?: { bodySite?: string; label?: string; laterality?: string }
  note?: string
  patient?: { name?: string }
  sharedBy?: string
  target: 'consultation' | 'lesion'
}

const dayMs = 24 * 60 * 60 * 1000

const optional = <T>(value: null | T | undefined): T | undefined => (value === null ? undefined : value)

/** The URL of one variant (`original` or an image size) of an image through the link. */
export const sharedFileURL = (apiRoute: string, token: string, key: string, variant: string): string =>
  `${apiRoute}${shareApiPath}/${token}/images/${key}/${variant}`

const imageView = (share: ResolvedShare, urlOf: (key: string, variant: string) => string, first: number) => (image: SharedImageDoc): SharedImageView => {
  const key = shareImageKey(share.link.tokenHash, image.id)
  const sizes = Object.fromEntries(
    Object.entries(image.sizes ?? {}).flatMap(([name, size]) =>
      size?.filename ? [[name, { height: optional(size.height), url: urlOf(key, name), width: optional(size.width) }]] : [],
    ),
  )
  return {
    acquisition: optional(image.acquisition),
    bodySite: optional(image.bodySite),
    ...(share.link.hideIdentity ? {} : { capturedAt: image.capturedAt ?? image.createdAt }),
    day: Math.floor((captureTimeOf(image) - first) / dayMs),
    ...(share.link.hideIdentity ? {} : { description: optional(image.description) }),
    height: optional(image.height),
    key,
    laterality: optional(image.laterality),
    mimeType: optional(image.mimeType),
    original: { height: optional(image.height), url: urlOf(key, 'original'), width: optional(image.width) },
    role: optional(image.role),
    sizes,
    width: optional(image.width),
  }
}

/** Builds the recipient's view of a resolved link (`apiRoute`: the app's API route, `/api`). */
export const toSharedGalleryView = (share: ResolvedShare, token: string, apiRoute: string): SharedGalleryView => {
  const hidden = Boolean(share.link.hideIdentity)
  const first = share.images[0] ? captureTimeOf(share.images[0]) : 0
  const urlOf = (key: string, variant: string) => sharedFileURL(apiRoute, token, key, variant)
  const { consultation, lesion } = share
  return {
    ...(consultation && !hidden ? { consultation: { date: optional(consultation.date), reason: optional(consultation.reason) } } : {}),
    ...(hidden ? {} : { expiresAt: share.link.expiresAt }),
    expiresInSeconds: Math.max(0, Math.floor((Date.parse(share.link.expiresAt) - Date.now()) / 1000)),
    hideIdentity: hidden,
    images: share.images.map(imageView(share, urlOf, first)),
    ...(lesion
      ? { lesion: { bodySite: optional(lesion.bodySite), laterality: optional(lesion.laterality), ...(hidden ? {} : { label: optional(lesion.label) }) } }
      : {}),
    ...(share.link.note ? { note: share.link.note } : {}),
    ...(hidden ? {} : { patient: { name: share.patient.name } }),
    ...(share.creatorName ? { sharedBy: share.creatorName } : {}),
    target: consultation ? 'consultation' : 'lesion',
  }
}
