import type { JsonSchema } from './types.js'

import { fhirPageSize } from '../operations/exportFhir.js'

/**
 * The shape of the FHIR export's answers, as far as this API promises it. The resources are FHIR
 * R4 (the tests validate them against the official FHIR R4 JSON schema); these schemas describe
 * what the plugin puts in them.
 */
const string: JsonSchema = { type: 'string' }

const coding: JsonSchema = {
  type: 'object',
  properties: { code: string, display: string, system: { type: 'string', format: 'uri' } },
  required: ['code', 'system'],
}

const codeableConcept = (description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: { coding: { type: 'array', items: coding }, extension: { type: 'array', items: { type: 'object' } }, text: string },
})

/** A relative literal reference by ID: never a name. */
const reference = (type: string): JsonSchema => ({
  type: 'object',
  properties: { reference: { type: 'string', pattern: `^${type}/[A-Za-z0-9.-]{1,64}$` }, type: { const: type } },
  required: ['reference', 'type'],
})

const identifier: JsonSchema = {
  type: 'array',
  description: 'The document’s ID in the system of its collection’s API URL (`<serverURL>/api/<slug>`).',
  items: { type: 'object', properties: { system: { type: 'string', format: 'uri' }, value: string }, required: ['system', 'value'] },
}

const meta: JsonSchema = { type: 'object', properties: { lastUpdated: { type: 'string', format: 'date-time' } } }

export const fhirMediaSchema: JsonSchema = {
  type: 'object',
  description:
    'A FHIR R4 Media resource. `modality`: DICOM `XC` (clinical photos) or `DMS` (dermoscopy), none for "other". ' +
    '`bodySite`: the SNOMED CT site, the laterality as mCODE’s laterality-qualifier extension, and the whole as text. ' +
    '`createdDateTime`: the capture time with the camera’s UTC offset when known. `content.url`: the access-checked original.',
  properties: {
    resourceType: { const: 'Media' },
    id: string,
    meta,
    identifier,
    status: { const: 'completed' },
    type: codeableConcept('Always `image` (the FHIR media-type code system).'),
    modality: codeableConcept('How the photo was acquired, as a DICOM modality.'),
    subject: reference('Patient'),
    encounter: reference('Encounter'),
    createdDateTime: { type: 'string', description: 'FHIR dateTime: local time and offset, or UTC (`Z`) when the camera recorded no offset.' },
    issued: { type: 'string', format: 'date-time', description: 'When the image was stored.' },
    bodySite: codeableConcept('Where on the body.'),
    device: { type: 'object', properties: { display: { type: 'string', description: 'The camera (EXIF make and model).' } }, required: ['display'] },
    height: { type: 'integer', minimum: 1 },
    width: { type: 'integer', minimum: 1 },
    content: {
      type: 'object',
      properties: { contentType: string, size: { type: 'integer', minimum: 0 }, title: string, url: { type: 'string', format: 'uri' } },
      required: ['title'],
    },
    note: { type: 'array', items: { type: 'object', properties: { text: string }, required: ['text'] } },
  },
  required: ['resourceType', 'id', 'identifier', 'status', 'type', 'encounter', 'content'],
}

export const fhirEncounterSchema: JsonSchema = {
  type: 'object',
  description:
    'A FHIR R4 Encounter: `status` scheduled → planned, in-progress → in-progress, completed → finished, cancelled → cancelled; ' +
    '`class` ambulatory; `period.start` the consultation’s date; the doctor as primary performer; the reason as text. Notes are not exported.',
  properties: {
    resourceType: { const: 'Encounter' },
    id: string,
    meta,
    identifier,
    status: { enum: ['planned', 'in-progress', 'finished', 'cancelled', 'unknown'] },
    class: coding,
    subject: reference('Patient'),
    participant: {
      type: 'array',
      items: { type: 'object', properties: { individual: reference('Practitioner'), type: { type: 'array', items: codeableConcept('`PPRF`') } } },
    },
    period: { type: 'object', properties: { start: { type: 'string', format: 'date-time' } } },
    reasonCode: { type: 'array', items: codeableConcept('The reason for the visit.') },
  },
  required: ['resourceType', 'id', 'identifier', 'status', 'class'],
}

export const fhirBundleSchema: JsonSchema = {
  type: 'object',
  description:
    `A FHIR R4 Bundle of type \`collection\`: the Encounter first, then one Media per image (every one, read ${String(fhirPageSize)} at a time). ` +
    'Full URLs are under `<api>/derma-images/fhir/`, so each Media’s `Encounter/<id>` resolves inside the Bundle.',
  properties: {
    resourceType: { const: 'Bundle' },
    type: { const: 'collection' },
    timestamp: { type: 'string', format: 'date-time' },
    entry: {
      type: 'array',
      items: {
        type: 'object',
        properties: { fullUrl: { type: 'string', format: 'uri' }, resource: { oneOf: [fhirEncounterSchema, fhirMediaSchema] } },
        required: ['fullUrl', 'resource'],
      },
      minItems: 1,
    },
  },
  required: ['resourceType', 'type', 'timestamp', 'entry'],
}

/** The error answer of the FHIR routes: an R4 OperationOutcome (`src/fhir/operationOutcome.ts`). */
export const fhirOperationOutcomeSchema: JsonSchema = {
  type: 'object',
  description:
    'A FHIR R4 OperationOutcome, one issue per problem: `code` `invalid` (400), `login` (401), `forbidden` (403), `not-found` (404), ' +
    '`not-supported` (405), `processing` (422), `transient` (503: try again), `exception` (500); the message in `details.text` ' +
    'and `diagnostics`, the parameter at fault in `expression`.',
  properties: {
    resourceType: { const: 'OperationOutcome' },
    issue: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          severity: { enum: ['fatal', 'error', 'warning', 'information'] },
          code: string,
          details: { type: 'object', properties: { text: string }, required: ['text'] },
          diagnostics: string,
          expression: { type: 'array', items: string },
        },
        required: ['severity', 'code'],
      },
      minItems: 1,
    },
  },
  required: ['resourceType', 'issue'],
}
