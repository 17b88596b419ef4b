import type { Attachment, CodeableConcept, Media } from '@medplum/fhirtypes'

import type { FhirContext } from './context.js'

import { getAcquisitionType } from '../vocabulary/acquisition.js'
import { getBodySite, lateralities } from '../vocabulary/bodySites.js'
import { referenceTo } from './context.js'
import { imageMediaType, lateralityCodes, lateralityExtensionUrl, modalities, systems } from './codes.js'

/**
 * The stored fields of an image the export reads, and nothing else (not the client's original
 * file name, which may name the patient).
 */
export type ImageForFhir = {
  acquisition?: null | string
  bodySite?: null | string
  cameraModel?: null | string
  capturedAt?: null | string
  capturedAtOffset?: null | string
  createdAt?: null | string
  description?: null | string
  filename?: null | string
  filesize?: null | number
  height?: null | number
  id: number | string
  laterality?: null | string
  mimeType?: null | string
  updatedAt?: null | string
  width?: null | number
}

/** Who the photo is of (unknown once the patient's account is deleted) and in which consultation: IDs only. */
export type MediaLinks = { consultation: string; patient?: string }

const OFFSET = /^([+-])(\d{2}):(\d{2})$/

/**
 * The capture time as a FHIR dateTime: the camera's local time with its UTC offset when EXIF
 * recorded one ("2024-05-01T10:11:12.345+02:00"), otherwise the stored UTC instant ("…Z").
 */
export const toCreatedDateTime = (capturedAt: string, offset: null | string | undefined): string => {
  const zone = offset ? OFFSET.exec(offset) : null
  const time = Date.parse(capturedAt)
  // FHIR's dateTime accepts offsets from -14:00 to +14:00.
  if (!zone || Number.isNaN(time) || Number(zone[2]) * 60 + Number(zone[3]) > 14 * 60) {
    return capturedAt
  }
  const minutes = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3]))
  return new Date(time + minutes * 60_000).toISOString().replace(/Z$/, offset ?? '')
}

/**
 * Media.bodySite: the SNOMED CT code and display of the coded site (from the vocabulary), the
 * laterality as a qualifier extension (see `lateralityExtensionUrl`), and the whole in words.
 * A site without a SNOMED CT code is given as text only.
 */
export const toBodySite = (site: null | string | undefined, laterality: null | string | undefined): CodeableConcept | undefined => {
  const entry = getBodySite(site)
  const side = lateralities.find(({ value }) => value === laterality)
  if (!entry && !side) {
    return undefined
  }
  const siteText = entry?.snomed?.display ?? entry?.label.en
  const sideText = side ? (siteText ? side.label.en.toLowerCase() : side.label.en) : undefined
  return {
    ...(entry?.snomed ? { coding: [{ code: entry.snomed.code, display: entry.snomed.display, system: systems.snomed }] } : {}),
    ...(side ? { extension: [{ url: lateralityExtensionUrl, valueCodeableConcept: { coding: [lateralityCodes[side.value]] } }] } : {}),
    text: [siteText, sideText].filter(Boolean).join(', '),
  }
}

/** The original as an Attachment: its access-checked URL, type and size; a title without patient data. */
const toContent = (image: ImageForFhir, { apiURL, slugs }: FhirContext): Attachment => {
  const acquisition = getAcquisitionType(image.acquisition)
  return {
    ...(image.mimeType ? { contentType: image.mimeType } : {}),
    ...(image.filename ? { url: `${apiURL}/${slugs.consultationImages}/file/${encodeURIComponent(image.filename)}` } : {}),
    ...(typeof image.filesize === 'number' ? { size: image.filesize } : {}),
    title: `Consultation image ${String(image.id)}${acquisition ? ` (${acquisition.label.en})` : ''}`,
  }
}

const positive = (value: null | number | undefined): value is number => typeof value === 'number' && value > 0

/**
 * A consultation image as a FHIR R4 Media resource (http://hl7.org/fhir/R4/media.html). The
 * subject and encounter are references by ID only: no name, whoever asks.
 */
export const toMedia = (image: ImageForFhir, links: MediaLinks, ctx: FhirContext): Media => {
  const modality = modalities[getAcquisitionType(image.acquisition)?.value ?? 'other']
  const bodySite = toBodySite(image.bodySite, image.laterality)
  return {
    resourceType: 'Media',
    id: String(image.id),
    ...(image.updatedAt ? { meta: { lastUpdated: image.updatedAt } } : {}),
    identifier: [{ system: `${ctx.apiURL}/${ctx.slugs.consultationImages}`, value: String(image.id) }],
    status: 'completed',
    type: imageMediaType,
    ...(modality ? { modality: { coding: [modality] } } : {}),
    ...(links.patient ? { subject: referenceTo('Patient', links.patient) } : {}),
    encounter: referenceTo('Encounter', links.consultation),
    ...(image.capturedAt ? { createdDateTime: toCreatedDateTime(image.capturedAt, image.capturedAtOffset) } : {}),
    ...(image.createdAt ? { issued: image.createdAt } : {}),
    ...(bodySite ? { bodySite } : {}),
    ...(image.cameraModel ? { device: { display: image.cameraModel } } : {}),
    ...(positive(image.height) ? { height: image.height } : {}),
    ...(positive(image.width) ? { width: image.width } : {}),
    content: toContent(image, ctx),
    ...(image.description?.trim() ? { note: [{ text: image.description }] } : {}),
  }
}
