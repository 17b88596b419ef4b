import type { CodeableConcept, Coding, Encounter } from '@medplum/fhirtypes'

import type { consultationStatuses } from '../collections/Consultations/fields.js'
import type { AcquisitionType } from '../vocabulary/acquisition.js'
import type { Laterality } from '../vocabulary/bodySites.js'

/**
 * The code systems and codes of the FHIR R4 export, each with where it comes from. Displays are
 * the code systems' own preferred terms.
 */
export const systems = {
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  mediaType: 'http://terminology.hl7.org/CodeSystem/media-type',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  snomed: 'http://snomed.info/sct',
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
} as const

/** Media.type: R4 binds it (extensible) to http://hl7.org/fhir/ValueSet/media-type; a photo is `image`. */
export const imageMediaType: CodeableConcept = {
  coding: [{ code: 'image', display: 'Image', system: systems.mediaType }],
}

/**
 * Media.modality from the acquisition, as DICOM acquisition modalities (DICOM PS3.16 CID 29
 * "Acquisition Modality", version 20231115, read via bvdh/dicom-terminology-in-fhir
 * input/fsh/ValueSet-dicom-cid-29-AcquisitionModality.fsh): `XC` External-camera Photography for
 * the clinical photos, `DMS` Dermoscopy for the dermoscopic ones. R4's binding of Media.modality
 * is an example, so DICOM codes are a proper choice. "Other" says nothing about how the photo was
 * taken, so it gets no modality rather than an invented one.
 */
export const modalities: Record<AcquisitionType, Coding | undefined> = {
  'clinical-close-up': { code: 'XC', display: 'External-camera Photography', system: systems.dicom },
  'clinical-overview': { code: 'XC', display: 'External-camera Photography', system: systems.dicom },
  dermoscopic: { code: 'DMS', display: 'Dermoscopy', system: systems.dicom },
  other: undefined,
}

/**
 * The extension that carries laterality beside a body-site code: mCODE's "Laterality Qualifier"
 * (HL7 FHIR IG mCODE STU4, an R4 guide; its context includes any CodeableConcept), bound
 * (required) to its LateralityQualifierVS (HL7/fhir-mCODE-ig input/fsh, "ValueSet:
 * LateralityQualifierVS"): SNOMED CT 7771000 Left, 24028007 Right, 51440002 Right and left,
 * 399488007 Midline, the plugin's four lateralities exactly.
 *
 * Not a post-coordinated SNOMED CT expression (`5742000:272741003=7771000`): the concept model
 * allows the laterality refinement only on lateralisable body structures, which not every coded
 * site is, and most receivers do not parse expressions. The pre-coordinated site code stays
 * first and intact; `text` says the whole location in words.
 */
export const lateralityExtensionUrl = 'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier'

export const lateralityCodes: Record<Laterality, Coding> = {
  bilateral: { code: '51440002', display: 'Right and left', system: systems.snomed },
  left: { code: '7771000', display: 'Left', system: systems.snomed },
  midline: { code: '399488007', display: 'Midline', system: systems.snomed },
  right: { code: '24028007', display: 'Right', system: systems.snomed },
}

type ConsultationStatus = (typeof consultationStatuses)[number]

const encounterStatuses: Record<ConsultationStatus, Encounter['status']> = {
  cancelled: 'cancelled',
  completed: 'finished',
  'in-progress': 'in-progress',
  scheduled: 'planned',
}

/**
 * Encounter.status (a required binding, http://hl7.org/fhir/R4/valueset-encounter-status.html)
 * of a consultation status; `unknown` for a value the plugin does not define.
 */
export const toEncounterStatus = (status: null | string | undefined): Encounter['status'] =>
  status && Object.hasOwn(encounterStatuses, status) ? encounterStatuses[status as ConsultationStatus] : 'unknown'

/** Encounter.class (1..1 in R4, v3 ActEncounterCode): a clinic consultation is ambulatory. */
export const ambulatory: Coding = { code: 'AMB', display: 'ambulatory', system: systems.v3ActCode }

/** Encounter.participant.type: the doctor is the primary performer (v3 ParticipationType). */
export const primaryPerformer: CodeableConcept = {
  coding: [{ code: 'PPRF', display: 'primary performer', system: systems.participationType }],
}
