import { z } from 'zod'

import { exportPurposes } from '../access/exports.js'
import { acquisitionTypes } from '../vocabulary/acquisition.js'
import { bodySites, lateralities } from '../vocabulary/bodySites.js'
import { consentScopes } from '../vocabulary/consent.js'
import { imageRoles } from '../vocabulary/lesions.js'

const values = <T extends { value: string }>(entries: readonly T[]) =>
  entries.map((entry) => entry.value) as [T['value'], ...T['value'][]]

/** `:id` of a consultation: PostgreSQL serial IDs. */
export const consultationParams = z.object({
  id: z.coerce.number({ error: 'The consultation ID must be a number.' }).int().positive(),
})

/** `?page=&limit=` of the per-consultation image list, like Payload's own lists (limit ≤ 100). */
export const imageListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  page: z.coerce.number().int().min(1).default(1),
})

/** The clinical fields a client may set on an image; everything else is the server's. */
export const clinicalMetadata = z.strictObject({
  acquisition: z.enum(values(acquisitionTypes)).optional(),
  bodySite: z.enum(values(bodySites)).nullable().optional(),
  /** What the patient agreed the photo may be used for; each scope once (the server records who and when). */
  consentScopes: z
    .array(z.enum(values(consentScopes), { error: `A consent scope is one of: ${values(consentScopes).join(', ')}.` }))
    .refine((scopes) => new Set(scopes).size === scopes.length, { error: 'Each consent scope may be given once.' })
    .optional(),
  description: z.string().max(5000).nullable().optional(),
  isPrimary: z.boolean().optional(),
  laterality: z.enum(values(lateralities)).nullable().optional(),
  /** A lesion of the consultation's patient (checked by the server: otherwise a 400). */
  lesion: z.number().int().positive().nullable().optional(),
  role: z.enum(values(imageRoles)).nullable().optional(),
})

export type ClinicalMetadata = z.infer<typeof clinicalMetadata>

/** `:id` of a consultation image: PostgreSQL serial IDs. */
export const imageParams = z.object({
  id: z.coerce.number({ error: 'The image ID must be a number.' }).int().positive(),
})

const purpose = z.enum(exportPurposes, { error: 'The purpose is "teaching" or "research".' })

/** `?purpose=` of the consultation ZIP: none for the treating team's archive, else a de-identified export. */
export const downloadQuery = z.object({ purpose: purpose.optional() })

/** The most images one teaching or research archive holds; more are exported page by page. */
export const maxExportImages = 500

const day = z.iso.date({ error: 'A date is written YYYY-MM-DD.' })

/**
 * `?purpose=&bodySite=&acquisition=&laterality=&from=&to=&limit=&page=` of the cross-consultation
 * export. `from` and `to` are capture days (inclusive, UTC; the upload day for photos without one).
 */
export const exportQuery = z
  .strictObject({
    acquisition: z.enum(values(acquisitionTypes)).optional(),
    bodySite: z.enum(values(bodySites)).optional(),
    from: day.optional(),
    laterality: z.enum(values(lateralities)).optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(maxExportImages, { error: `One export holds at most ${maxExportImages} images: ask for the next page (page=2, …) for more.` })
      .default(maxExportImages),
    page: z.coerce.number().int().min(1).default(1),
    purpose,
    to: day.optional(),
  })
  .refine(({ from, to }) => from === undefined || to === undefined || from <= to, { error: '"from" must not be after "to".', path: ['from'] })

export type ExportQuery = z.infer<typeof exportQuery>
