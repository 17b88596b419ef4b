import type { CollectionSlug, ImageSize, ImageUploadFormatOptions } from 'payload'

/** The roles the plugin understands, stored on the auth collection's `role` field. */
export type DermaRole = 'admin' | 'doctor' | 'patient'

export type DermaImagesSlugs = {
  /** The append-only audit trail. @default 'audit-events' */
  auditEvents?: string
  /** @default 'consultation-images' */
  consultationImages?: string
  /** @default 'consultations' */
  consultations?: string
  /** @default 'lesions' */
  lesions?: string
  /** Second-opinion share links. @default 'share-links' */
  shareLinks?: string
  /** The auth collection whose users carry a `role`. @default 'users' */
  users?: string
}

/** The audit trail's options (see README, "Audit trail"). */
export type DermaImagesAuditConfig = {
  /**
   * How many days audit events are kept: `npx payload derma-images:purge-audit-events` (or
   * `purgeExpiredAuditEvents(payload)`) deletes the older ones, and the database refuses every
   * other UPDATE, DELETE and TRUNCATE. Unset keeps them forever: an access trail to medical
   * records is part of the record, which French law keeps 20 years (Code de la santé publique,
   * art. R1112-7); set it only to what your jurisdiction and your DPO require.
   * @default undefined (keep forever)
   */
  retentionDays?: number
  /**
   * Reverse proxies in front of the app that append the address they saw to `X-Forwarded-For`.
   * `0` trusts no header: Next's route handlers give no socket address, so no address is recorded
   * (a client can write any `X-Forwarded-For` it likes). With `n`, the `n`-th entry from the right
   * (the one the outermost trusted proxy appended) is recorded.
   * @default 0
   */
  trustedProxyHops?: number
}

/** Second-opinion share links (see README, "Second-opinion share links"). */
export type DermaImagesShareLinksConfig = {
  /**
   * Days a new link stays valid when its creator names no expiry.
   * @default 7
   */
  defaultDays?: number
  /**
   * The longest a link may stay valid, in days: a later `expiresAt` is refused (400).
   * @default 30
   */
  maxDays?: number
}

export type DermaImagesPluginConfig = {
  /**
   * Image MIME types accepted for upload.
   * @default ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif']
   */
  allowedMimeTypes?: string[]
  /** The audit trail (`audit-events`); it is always on. */
  audit?: DermaImagesAuditConfig
  /**
   * Keep the collections, fields and access rules (so the schema and migrations do not change),
   * but skip endpoints, admin components and non-essential hooks.
   * @default false
   */
  disabled?: boolean
  /**
   * Derivatives, declared as Payload `imageSizes` (they become the upload collection's
   * `imageSizes` and its `sizes` fields). The plugin's ingest makes them with the host's sharp,
   * from the uploaded photo and beside its re-encoded original, with Payload's meaning of `width`,
   * `height`, `fit`, `position`, `withoutEnlargement`, `withoutReduction`, `formatOptions`,
   * `trimOptions` and `generateImageName`, under the same `maxPixels` limit. A size without
   * `formatOptions` takes the stored original's format (JPEG for a HEIC). Focal point and crop
   * are not offered. A `thumbnail` size is required by the admin gallery.
   * @default a 300×300 JPEG q85 `thumbnail` and a 1600 px `preview`
   */
  imageSizes?: ImageSize[]
  /**
   * Largest accepted image, in pixels (width × height), read from the file's header before any
   * decoding: a "pixel flood" never reaches the decoder.
   * @default 50000000 (50 megapixels: a 48 MP phone photo fits)
   */
  maxPixels?: number
  /**
   * Uploads through `POST /api/<consultations>/:id/images` stored at once; more wait in line
   * (holding no database connection), so a burst never exhausts the connection pool.
   * @default twice the number of CPUs (`os.availableParallelism()`), at least 4
   */
  maxConcurrentUploads?: number
  /**
   * Largest accepted upload, in bytes.
   * @default 10485760 (10 MB)
   */
  maxFileSize?: number
  /** Second-opinion share links: their default and longest validity. */
  shareLinks?: DermaImagesShareLinksConfig
  /**
   * On SIGTERM or SIGINT, how long requests in flight get to finish while the server drains them;
   * then the transactions still open are rolled back (their rows and files undone) and the
   * process exits. `0` leaves signals alone.
   * @default 10000 (10 s)
   */
  shutdownTimeoutMs?: number
  /** Overrides of the collection slugs. */
  slugs?: DermaImagesSlugs
  /**
   * Directory where originals and derivatives are stored. Never served statically: every byte
   * goes through Payload's access-checked file route.
   * @default `${process.cwd()}/uploads/consultation-images`
   */
  uploadsDir?: string
}

export type SanitizedDermaImagesPluginConfig = {
  allowedMimeTypes: string[]
  audit: { retentionDays: number | undefined; trustedProxyHops: number }
  disabled: boolean
  imageSizes: ImageSize[]
  maxConcurrentUploads: number
  maxFileSize: number
  maxPixels: number
  shareLinks: Required<DermaImagesShareLinksConfig>
  shutdownTimeoutMs: number
  /** Resolved slugs; typed as the host's `CollectionSlug` union once its types are generated. */
  slugs: Record<keyof DermaImagesSlugs, CollectionSlug>
  uploadsDir: string
}

export type { ImageSize, ImageUploadFormatOptions }

type RelationshipValue = { id: number | string } | null | number | string | undefined

/** The stored shape of a consultation image, as the plugin's hooks read it. */
export type ConsultationImageDoc = {
  cameraModel?: null | string
  capturedAt?: null | string
  capturedAtOffset?: null | string
  consentRecordedAt?: null | string
  consentRecordedBy?: RelationshipValue
  consentScopes?: null | string[]
  consultation?: RelationshipValue
  filename?: null | string
  id: number | string
  idempotencyFingerprint?: null | string
  idempotencyKey?: null | string
  isPrimary?: boolean | null
  lesion?: RelationshipValue
  mimeType?: null | string
  originalFilename?: null | string
  sizes?: null | Record<string, { filename?: null | string; mimeType?: null | string } | undefined>
}
