import type { Bundle, Media } from '@medplum/fhirtypes'
import type { PayloadRequest } from 'payload'

import { NotFound } from 'payload'

import type { ImageForFhir, MediaLinks } from '../fhir/media.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { toID } from '../access/roles.js'
import { fhirContextOf } from '../fhir/context.js'
import { toConsultationBundle, toEncounter } from '../fhir/encounter.js'
import { toMedia } from '../fhir/media.js'
import { findReadableConsultation } from './findConsultation.js'

/** Images read per query while a Bundle is built: never one unbounded query. */
export const fhirPageSize = 100

type StoredImage = ImageForFhir & { consultation?: unknown; id: number }

type StoredConsultation = {
  date?: null | string
  doctor?: unknown
  id: number
  patient?: unknown
  reason?: null | string
  status?: null | string
  updatedAt?: null | string
}

/** Exactly the fields the mapping reads (so the client's original file name is never loaded). */
const imageSelect: Record<keyof StoredImage, true> = {
  acquisition: true,
  bodySite: true,
  cameraModel: true,
  capturedAt: true,
  capturedAtOffset: true,
  consultation: true,
  createdAt: true,
  description: true,
  filename: true,
  filesize: true,
  height: true,
  id: true,
  laterality: true,
  mimeType: true,
  updatedAt: true,
  width: true,
}

const consultationSelect: Record<keyof StoredConsultation, true> = {
  date: true,
  doctor: true,
  id: true,
  patient: true,
  reason: true,
  status: true,
  updatedAt: true,
}

const idString = (value: unknown): string | undefined => {
  const id = toID(value)
  return id === undefined ? undefined : String(id)
}

const linksOf = (consultation: StoredConsultation): MediaLinks => ({
  consultation: String(consultation.id),
  patient: idString(consultation.patient),
})

/** One page of the images the user may see: `where` plus the user's read access. */
const findImages = async (req: PayloadRequest, { slugs }: SanitizedDermaImagesPluginConfig, where: object, limit: number) =>
  (
    await req.payload.find({
      collection: slugs.consultationImages,
      depth: 0,
      limit,
      overrideAccess: false,
      pagination: false,
      req,
      select: imageSelect as never,
      sort: 'id',
      where: where as never,
    })
  ).docs as unknown as StoredImage[]

/**
 * `GET /api/<images>/:id/fhir`: the image as a FHIR Media, for whoever may see it; a 404 for one
 * that does not exist or is not theirs.
 */
export const exportImageAsMedia = async (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig, id: number): Promise<Media> => {
  const [image] = await findImages(req, config, { id: { equals: id } }, 1)
  const consultationId = toID(image?.consultation)
  if (!image || consultationId === undefined) {
    throw new NotFound(req.t)
  }
  const consultation = await findReadableConsultation<StoredConsultation>(req, config, Number(consultationId), { id: true, patient: true })
  return toMedia(image, linksOf(consultation), fhirContextOf(req, config))
}

/**
 * `GET /api/<consultations>/:id/fhir`: the consultation as an Encounter and every image of it as a
 * Media, in one Bundle. Images are read `fhirPageSize` at a time by ascending ID (keyset
 * pagination: an image added or deleted meanwhile shifts no page).
 */
export const exportConsultationBundle = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  id: number,
): Promise<Bundle> => {
  const consultation = await findReadableConsultation<StoredConsultation>(req, config, id, consultationSelect)
  const ctx = fhirContextOf(req, config)
  const links = linksOf(consultation)
  const media: Media[] = []
  for (let after = 0; ; ) {
    const page = await findImages(req, config, { and: [{ consultation: { equals: id } }, { id: { greater_than: after } }] }, fhirPageSize)
    media.push(...page.map((image) => toMedia(image, links, ctx)))
    const last = page.at(-1)
    if (!last || page.length < fhirPageSize) {
      break
    }
    after = last.id
  }
  const encounter = toEncounter({ ...consultation, doctor: idString(consultation.doctor), patient: links.patient }, ctx)
  return toConsultationBundle(encounter, media, ctx, new Date().toISOString())
}
