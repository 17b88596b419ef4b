import type { Bundle, Encounter, Media } from '@medplum/fhirtypes'

import type { FhirContext } from './context.js'

import { ambulatory, primaryPerformer, toEncounterStatus } from './codes.js'
import { fhirBase, referenceTo } from './context.js'

/** The stored fields of a consultation the export reads; `notes` is not among them. */
export type ConsultationForFhir = {
  date?: null | string
  doctor?: string
  id: number | string
  patient?: string
  reason?: null | string
  status?: null | string
  updatedAt?: null | string
}

/**
 * A consultation as a FHIR R4 Encounter (http://hl7.org/fhir/R4/encounter.html): its status
 * mapped onto Encounter.status, its date as the period's start (no end is recorded), the doctor
 * as the primary performer, the patient as the subject (references by ID only) and the reason
 * for the visit as text. R4's Encounter has no element for free-text notes; they stay out.
 */
export const toEncounter = (consultation: ConsultationForFhir, ctx: FhirContext): Encounter => ({
  resourceType: 'Encounter',
  id: String(consultation.id),
  ...(consultation.updatedAt ? { meta: { lastUpdated: consultation.updatedAt } } : {}),
  identifier: [{ system: `${ctx.apiURL}/${ctx.slugs.consultations}`, value: String(consultation.id) }],
  status: toEncounterStatus(consultation.status),
  class: ambulatory,
  ...(consultation.patient ? { subject: referenceTo('Patient', consultation.patient) } : {}),
  ...(consultation.doctor
    ? { participant: [{ individual: referenceTo('Practitioner', consultation.doctor), type: [primaryPerformer] }] }
    : {}),
  ...(consultation.date ? { period: { start: consultation.date } } : {}),
  ...(consultation.reason?.trim() ? { reasonCode: [{ text: consultation.reason }] } : {}),
})

/**
 * The consultation and its images as a Bundle of type `collection`: a set of resources gathered
 * for one purpose. Not `searchset`, which is the answer of a FHIR search interaction (with
 * `total`, `self` links and search modes) that this API does not offer; not `document`, which
 * needs a Composition. Each entry's full URL is under `fhirBase`, so `Encounter/<id>` in a Media
 * resolves to the Encounter of the same Bundle.
 */
export const toConsultationBundle = (encounter: Encounter, media: Media[], ctx: FhirContext, timestamp: string): Bundle => {
  const base = fhirBase(ctx)
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp,
    entry: [encounter, ...media].map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${String(resource.id)}`, resource })),
  }
}
