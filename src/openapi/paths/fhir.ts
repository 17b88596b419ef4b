import type { DocumentContext, JsonSchema, Parameter, PathItem, Paths, ResponseObject } from '../types.js'

import { consultationParams, imageParams } from '../../endpoints/schemas.js'
import { fhirBundleSchema, fhirMediaSchema, fhirOperationOutcomeSchema } from '../fhirSchemas.js'
import { zodParameters } from '../jsonSchema.js'

const fhirErrors: Record<string, string> = {
  '400': 'The ID is not a number (`invalid`, `expression` names it).',
  '401': 'Not logged in (`login`).',
  '404': 'Not found, or not yours (`not-found`): exactly like a missing one.',
  '503': 'The export could not be recorded in the audit trail, so it was not made (`transient`): try again.',
}

/** The FHIR routes answer errors as OperationOutcome, `application/fhir+json`. */
const fhirErrorResponses = (): Record<string, ResponseObject> =>
  Object.fromEntries(
    Object.entries(fhirErrors).map(([status, description]) => [
      status,
      { content: { 'application/fhir+json': { schema: fhirOperationOutcomeSchema } }, description },
    ]),
  )

type Export = { description: string; idParameters: Parameter[]; operationId: string; schema: JsonSchema; summary: string; tag: string; what: string }

const fhirOperation = ({ description, idParameters, operationId, schema, summary, tag, what }: Export): PathItem => ({
  get: {
    description,
    operationId,
    parameters: idParameters,
    responses: {
      '200': {
        content: { 'application/fhir+json': { schema } },
        description: `${what} Sent as \`application/fhir+json; fhirVersion=4.0\`, \`Cache-Control: private, no-store\`.`,
      },
      ...fhirErrorResponses(),
    },
    summary,
    tags: [tag],
  },
})

/** The FHIR R4 export (`src/endpoints/fhir.ts`): one image as a Media, one consultation as a Bundle. */
export const fhirPaths = (ctx: DocumentContext): Paths => {
  const { consultationImages, consultations } = ctx.config.slugs
  return {
    [`/${consultationImages}/{id}/fhir`]: fhirOperation({
      description:
        'The image as a FHIR R4 Media resource, for whoever may see it. The patient and the consultation are ' +
        'referenced by ID only (`Patient/<id>`, `Encounter/<id>`), never by name; GPS and serial numbers are never stored.',
      idParameters: zodParameters(imageParams, 'path', { id: 'The image’s ID.' }),
      operationId: 'getConsultationImageFhir',
      schema: fhirMediaSchema,
      summary: 'Export an image as FHIR R4 Media',
      tag: ctx.collection(consultationImages).name,
      what: 'The Media resource.',
    }),
    [`/${consultations}/{id}/fhir`]: fhirOperation({
      description: 'The consultation as a FHIR R4 Bundle (`collection`) of its Encounter and one Media per image, for whoever may see it.',
      idParameters: zodParameters(consultationParams, 'path', { id: 'The consultation’s ID.' }),
      operationId: 'getConsultationFhirBundle',
      schema: fhirBundleSchema,
      summary: 'Export a consultation as a FHIR R4 Bundle',
      tag: ctx.collection(consultations).name,
      what: 'The Bundle.',
    }),
  }
}
