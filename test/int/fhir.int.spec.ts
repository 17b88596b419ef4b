import type { Bundle, Encounter, Media, OperationOutcome } from '@medplum/fhirtypes'

import { jest } from '@jest/globals'

import fs from 'node:fs/promises'
import path from 'node:path'

import type { ActorName } from '../helpers/actors.js'
import type { Actor, Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { dermaImagesPlugin } from '../../src/index.js'
import { fhirPageSize } from '../../src/operations/exportFhir.js'
import { fixturesDir, privateValues } from '../fixtures/index.js'
import { ownReadStatuses, tokenOf as tokenIn } from '../helpers/actors.js'
import { createClinic } from '../helpers/clinic.js'
import { createFhirValidator } from '../helpers/fhirSchema.js'
import { asUploadFile, makeJpeg } from '../helpers/images.js'
import { startPayload } from '../helpers/payload.js'
import { createRestClient } from '../helpers/rest.js'

type Pool = { query: (sql: string) => Promise<unknown> }

const origin = 'http://localhost:3000'

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let fhir: ReturnType<typeof createFhirValidator>
/** Own consultation's images beyond the clinic's default one (clinical overview, no body site). */
let images: { dermoscopic: number; flank: number; other: number }
/** A consultation of the own doctor and patient with more images than one page. */
let manyImages: { consultation: number; ids: number[] }

const upload = async (actor: Actor, consultation: number, data: Record<string, unknown>, file: Buffer) =>
  (
    await ctx.payload.create({
      collection: 'consultation-images',
      data: { consultation, ...data } as never,
      file: asUploadFile(file),
      overrideAccess: false,
      user: actor.user,
    })
  ).id

beforeAll(async () => {
  ctx = await startPayload('fhir')
  clinic = await createClinic(ctx.payload)
  api = createRestClient(ctx.payload.config)
  fhir = createFhirValidator()
  const own = clinic.consultations.own
  // A photo with EXIF capture time (+02:00), camera, GPS, serial numbers and a patient's name in its metadata.
  const withExif = await fs.readFile(path.join(fixturesDir, 'jpeg-private-metadata.jpg'))
  images = {
    dermoscopic: await upload(clinic.doctor, own, { acquisition: 'dermoscopic', bodySite: 'forearm', description: 'Irregular pigment network', laterality: 'left' }, withExif),
    flank: await upload(clinic.doctor, own, { acquisition: 'clinical-close-up', bodySite: 'flank', laterality: 'right' }, await makeJpeg({ height: 60, seed: 3, width: 80 })),
    other: await upload(clinic.doctor, own, { acquisition: 'other' }, await makeJpeg({ height: 60, seed: 5, width: 80 })),
  }
  const consultation = (
    await ctx.payload.create({
      collection: 'consultations',
      data: { doctor: clinic.doctor.id, patient: clinic.patient.id, reason: 'Total body check' } as never,
      overrideAccess: false,
      user: clinic.doctor.user,
    })
  ).id
  const tiny = await makeJpeg({ height: 16, width: 16 })
  const ids: number[] = []
  for (let index = 0; index <= fhirPageSize; index += 1) {
    ids.push(await upload(clinic.doctor, consultation, { acquisition: 'clinical-overview' }, tiny))
  }
  manyImages = { consultation, ids }
}, 300_000)

afterAll(async () => {
  await ctx.cleanup()
})

const tokenOf = (actor: ActorName): string | undefined => tokenIn(clinic, actor)

const getImage = (actor: ActorName, id: number | string) => api.request('GET', `/consultation-images/${String(id)}/fhir`, { token: tokenOf(actor) })
const getConsultation = (actor: ActorName, id: number | string) => api.request('GET', `/consultations/${String(id)}/fhir`, { token: tokenOf(actor) })

const mediaOf = async (id: number): Promise<Media> => (await (await getImage('doctor', id)).json()) as Media
const bundleOf = async (id: number): Promise<Bundle> => (await (await getConsultation('doctor', id)).json()) as Bundle

const resourcesOf = (bundle: Bundle) => (bundle.entry ?? []).map((entry) => entry.resource)
const mediaIn = (bundle: Bundle): Media[] => resourcesOf(bundle).filter((resource): resource is Media => resource?.resourceType === 'Media')

/** Each issue's severity, code, human message and (agreeing) diagnostics, and where. */
const issuesOf = (outcome: OperationOutcome) =>
  outcome.issue.map((issue) => [issue.severity, issue.code, issue.details?.text === issue.diagnostics ? issue.diagnostics : 'disagree', issue.expression])

/** Every key anywhere in a JSON value. */
const keysIn = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(keysIn)
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, child]) => [key, ...keysIn(child)])
      : []

const leakedKey = /gps|latitude|longitude|altitude|serial/i

describe('who may export', () => {
  const routes: [string, (actor: ActorName) => Promise<Response>][] = [
    ['the own image', (actor) => getImage(actor, clinic.images.own.id)],
    ['the own consultation', (actor) => getConsultation(actor, clinic.consultations.own)],
  ]
  it.each(routes.flatMap(([route, call]) => ownReadStatuses.map(([actor, status]) => [route, actor, status, call] as const)))(
    'should answer %s to %s with %i, never cached',
    async (_route, actor, status, call) => {
      const res = await call(actor)
      expect([res.status, res.headers.get('cache-control')]).toEqual([status, status === 200 ? 'private, no-store' : 'no-store'])
    },
  )
})

describe('GET /api/consultation-images/:id/fhir', () => {
  it('should answer 404 for an image that does not exist, like one that is not yours', async () => {
    const res = await getImage('admin', 999_999)
    expect([res.status, issuesOf((await res.json()) as OperationOutcome)]).toEqual([404, [['error', 'not-found', 'Not Found', undefined]]])
  })

  it('should refuse an image ID that is not a number, naming it', async () => {
    const res = await getImage('doctor', 'abc')
    const outcome = (await res.json()) as OperationOutcome
    expect([res.status, outcome.issue.map((issue) => [issue.code, issue.expression])]).toEqual([400, [['invalid', ['id']]]])
  })

  it('should answer FHIR JSON, private and never stored', async () => {
    const res = await getImage('patient', images.dermoscopic)
    expect([res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual(['application/fhir+json; fhirVersion=4.0', 'private, no-store'])
  })

  it.each<[string, () => number]>([
    ['a dermoscopic image with EXIF', () => images.dermoscopic],
    ['a clinical image without body site', () => clinic.images.own.id],
    ['an image with laterality and an uncoded site', () => images.flank],
    ['an image of acquisition "other"', () => images.other],
  ])('should be a valid FHIR R4 Media for %s', async (_name, id) => {
    const media = await mediaOf(id())
    expect([media.resourceType, media.status, fhir.errorsOf(media)]).toEqual(['Media', 'completed', []])
  })

  it.each<[string, (media: Media) => object]>([
    ['a capture time without a time zone', (media) => ({ ...media, createdDateTime: '2024-05-01T10:11:12' })],
    ['a status that is not a string', (media) => ({ ...media, status: 7 })],
    ['an element FHIR does not define', (media) => ({ ...media, gpsLatitude: 48.85 })],
    ['a resource type of Medplum’s, not of FHIR R4', (media) => ({ ...media, resourceType: 'Bot' })],
  ])('should have a schema check that refuses a Media with %s', async (_name, spoil) => {
    expect(fhir.errorsOf(spoil(await mediaOf(images.dermoscopic))).length).toBeGreaterThan(0)
  })

  it.each<[string, string[], () => number]>([
    ['dermoscopic', ['DMS'], () => images.dermoscopic],
    ['clinical overview', ['XC'], () => clinic.images.own.id],
    ['clinical close-up', ['XC'], () => images.flank],
    ['other', [], () => images.other],
  ])('should give a %s image the DICOM modalities %j', async (_name, codes, id) => {
    const { modality } = await mediaOf(id())
    expect((modality?.coding ?? []).map((coding) => [coding.system, coding.code])).toEqual(
      codes.map((code) => ['http://dicom.nema.org/resources/ontology/DCM', code]),
    )
  })

  it('should type every image as an image', async () => {
    const { type } = await mediaOf(clinic.images.own.id)
    expect(type?.coding).toEqual([{ code: 'image', display: 'Image', system: 'http://terminology.hl7.org/CodeSystem/media-type' }])
  })

  it('should code the body site with its SNOMED CT concept and display, and qualify it with the laterality', async () => {
    const { bodySite } = await mediaOf(images.dermoscopic)
    expect(bodySite).toEqual({
      coding: [{ code: '5742000', display: 'Skin structure of forearm', system: 'http://snomed.info/sct' }],
      extension: [
        {
          url: 'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier',
          valueCodeableConcept: { coding: [{ code: '7771000', display: 'Left', system: 'http://snomed.info/sct' }] },
        },
      ],
      text: 'Skin structure of forearm, left',
    })
  })

  it('should give a site without a SNOMED CT code as text, with its laterality', async () => {
    const { bodySite } = await mediaOf(images.flank)
    expect([bodySite?.coding, bodySite?.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code, bodySite?.text]).toEqual([undefined, '24028007', 'Flank, right'])
  })

  it('should leave the body site out when none is recorded', async () => {
    expect((await mediaOf(clinic.images.own.id)).bodySite).toBeUndefined()
  })

  it('should give the capture time in the camera’s time zone and the camera as the device', async () => {
    const media = await mediaOf(images.dermoscopic)
    expect([media.createdDateTime, media.device]).toEqual(['2024-05-01T10:11:12.345+02:00', { display: 'Apple iPhone 15 Pro' }])
  })

  it('should give the stored size and type of the original, and the description as a note', async () => {
    const media = await mediaOf(images.dermoscopic)
    const stored = await ctx.payload.findByID({ collection: 'consultation-images', id: images.dermoscopic })
    expect([media.width, media.height, media.content.contentType, media.content.size, media.note]).toEqual([
      stored.width,
      stored.height,
      'image/jpeg',
      stored.filesize,
      [{ text: 'Irregular pigment network' }],
    ])
  })

  it('should link the original by its absolute, access-checked URL', async () => {
    const { content } = await mediaOf(images.dermoscopic)
    const url = new URL(content.url ?? '')
    const file = (actor: ActorName) => api.request('GET', url.pathname.replace(/^\/api/, '') as `/${string}`, { token: tokenOf(actor) })
    const [own, foreign] = [await file('patient'), await file('otherPatient')]
    expect([url.origin, own.status, Number(own.headers.get('content-length')), foreign.status]).toEqual([origin, 200, content.size, 404])
  })

  it('should refer to the patient and the consultation by ID only, and title the photo without patient data', async () => {
    const media = await mediaOf(images.dermoscopic)
    expect([media.subject, media.encounter, media.content.title]).toEqual([
      { reference: `Patient/${String(clinic.patient.id)}`, type: 'Patient' },
      { reference: `Encounter/${String(clinic.consultations.own)}`, type: 'Encounter' },
      `Consultation image ${String(images.dermoscopic)} (Dermoscopic)`,
    ])
  })

  it('should identify the image in a stable system, the API’s collection URL', async () => {
    expect((await mediaOf(images.dermoscopic)).identifier).toEqual([{ system: `${origin}/api/consultation-images`, value: String(images.dermoscopic) }])
  })

  it('should carry no GPS, serial number, name or other private metadata of the photo', async () => {
    const text = await (await getImage('doctor', images.dermoscopic)).text()
    const secrets = [privateValues.serial, privateValues.lensSerial, privateValues.description, privateValues.owner, privateValues.artist, clinic.patient.email, 'lesion.jpg']
    expect([keysIn(JSON.parse(text)).filter((key) => leakedKey.test(key)), secrets.filter((secret) => text.includes(secret))]).toEqual([[], []])
  })
})

describe('GET /api/consultations/:id/fhir', () => {
  it('should answer 404 for a consultation that does not exist, like one that is not yours', async () => {
    const res = await getConsultation('otherDoctor', clinic.consultations.own)
    expect([res.status, issuesOf((await res.json()) as OperationOutcome)]).toEqual([404, [['error', 'not-found', 'Not Found', undefined]]])
  })

  it('should refuse a consultation ID that is not a number, naming it', async () => {
    const res = await getConsultation('doctor', 'abc')
    const outcome = (await res.json()) as OperationOutcome
    expect([res.status, outcome.issue.map((issue) => [issue.code, issue.expression])]).toEqual([400, [['invalid', ['id']]]])
  })

  it('should be a valid FHIR R4 Bundle of type collection, as FHIR JSON', async () => {
    const res = await getConsultation('patient', clinic.consultations.own)
    const bundle = (await res.json()) as Bundle
    expect([res.headers.get('content-type'), bundle.type, fhir.errorsOf(bundle)]).toEqual(['application/fhir+json; fhirVersion=4.0', 'collection', []])
  })

  it('should hold the Encounter first, then one Media per image of the consultation and no other', async () => {
    const bundle = await bundleOf(clinic.consultations.own)
    const { docs } = await ctx.payload.find({ collection: 'consultation-images', limit: 0, where: { consultation: { equals: clinic.consultations.own } } })
    expect([resourcesOf(bundle)[0]?.resourceType, mediaIn(bundle).map((media) => Number(media.id)).sort((a, b) => a - b)]).toEqual([
      'Encounter',
      docs.map((doc) => doc.id).sort((a, b) => a - b),
    ])
  })

  it('should hold every image of a consultation with more than one page of them', async () => {
    const bundle = await bundleOf(manyImages.consultation)
    expect([mediaIn(bundle).map((media) => Number(media.id)), fhir.errorsOf(bundle)]).toEqual([manyImages.ids, []])
  })

  it('should map the consultation onto the Encounter: subject, doctor, date, class and reason', async () => {
    const encounter = resourcesOf(await bundleOf(clinic.consultations.own))[0] as Encounter
    const stored = await ctx.payload.findByID({ collection: 'consultations', id: clinic.consultations.own })
    expect({
      class: encounter.class,
      participant: encounter.participant?.map((participant) => participant.individual),
      period: encounter.period,
      reason: encounter.reasonCode,
      status: encounter.status,
      subject: encounter.subject,
    }).toEqual({
      class: { code: 'AMB', display: 'ambulatory', system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode' },
      participant: [{ reference: `Practitioner/${String(clinic.doctor.id)}`, type: 'Practitioner' }],
      period: { start: stored.date },
      reason: [{ text: 'Pigmented lesion follow-up' }],
      status: 'planned',
      subject: { reference: `Patient/${String(clinic.patient.id)}`, type: 'Patient' },
    })
  })

  it.each<[string, string]>([
    ['scheduled', 'planned'],
    ['in-progress', 'in-progress'],
    ['completed', 'finished'],
    ['cancelled', 'cancelled'],
  ])('should map the status %s onto the Encounter status %s', async (status, expected) => {
    const consultation = await ctx.payload.create({
      collection: 'consultations',
      data: { doctor: clinic.doctor.id, patient: clinic.patient.id, status } as never,
      overrideAccess: false,
      user: clinic.doctor.user,
    })
    const encounter = resourcesOf(await bundleOf(consultation.id))[0] as Encounter
    expect([encounter.status, fhir.errorsOf(encounter)]).toEqual([expected, []])
  })

  it('should resolve every Media’s encounter to the Encounter of the same Bundle', async () => {
    const bundle = await bundleOf(clinic.consultations.own)
    const encounterURL = bundle.entry?.[0]?.fullUrl ?? ''
    const resolved = (bundle.entry ?? [])
      .filter((entry) => entry.resource?.resourceType === 'Media')
      .map((entry) => new URL(`../${(entry.resource as Media).encounter?.reference ?? ''}`, entry.fullUrl).href)
    expect([encounterURL, [...new Set(resolved)]]).toEqual([`${origin}/api/derma-images/fhir/Encounter/${String(clinic.consultations.own)}`, [encounterURL]])
  })

  it('should carry no GPS or serial number anywhere, nor the notes', async () => {
    await ctx.payload.update({ collection: 'consultations', data: { notes: 'NOTES-PRIVATE-2718' }, id: clinic.consultations.own, overrideAccess: true })
    const text = await (await getConsultation('doctor', clinic.consultations.own)).text()
    expect([keysIn(JSON.parse(text)).filter((key) => leakedKey.test(key)), [privateValues.serial, privateValues.lensSerial, 'NOTES-PRIVATE-2718'].filter((secret) => text.includes(secret))]).toEqual([[], []])
  })
})

describe('errors of the FHIR routes', () => {
  type Case = [string, () => Promise<Response>, number, string]
  const cases: Case[] = [
    ['an anonymous image export', () => getImage('anonymous', clinic.images.own.id), 401, 'login'],
    ['an anonymous Bundle', () => getConsultation('anonymous', clinic.consultations.own), 401, 'login'],
    ['another patient’s image', () => getImage('otherPatient', clinic.images.own.id), 404, 'not-found'],
    ['an image ID that is not a number', () => getImage('doctor', 'abc'), 400, 'invalid'],
    ['a POST on an image', () => api.request('POST', `/consultation-images/${String(clinic.images.own.id)}/fhir`, { body: {}, token: tokenOf('doctor') }), 405, 'not-supported'],
    ['a DELETE on a consultation', () => api.request('DELETE', `/consultations/${String(clinic.consultations.own)}/fhir`, { token: tokenOf('doctor') }), 405, 'not-supported'],
  ]

  it.each(cases)('should answer %s with a valid R4 OperationOutcome as FHIR JSON', async (_name, call, status, code) => {
    const res = await call()
    const outcome = (await res.json()) as OperationOutcome
    expect([res.status, res.headers.get('content-type'), outcome.resourceType, outcome.issue.map((issue) => issue.code), fhir.errorsOf(outcome)]).toEqual([
      status,
      'application/fhir+json; fhirVersion=4.0',
      'OperationOutcome',
      [code],
      [],
    ])
  })

  it('should keep the human message in details.text and diagnostics', async () => {
    const outcome = (await (await getImage('anonymous', clinic.images.own.id)).json()) as OperationOutcome
    expect(issuesOf(outcome)).toEqual([['error', 'login', 'Unauthorized, you must be logged in to make this request.', undefined]])
  })

  it('should answer an export whose audit event cannot be written with 503, a transient OperationOutcome', async () => {
    const pool = (ctx.payload.db as unknown as { pool: Pool }).pool
    const error = jest.spyOn(ctx.payload.logger, 'error').mockImplementation(() => undefined)
    await pool.query('ALTER TABLE audit_events RENAME TO audit_events_unavailable')
    const res = await getImage('doctor', clinic.images.own.id).finally(() => pool.query('ALTER TABLE audit_events_unavailable RENAME TO audit_events'))
    error.mockRestore()
    const outcome = (await res.json()) as OperationOutcome
    expect([res.status, issuesOf(outcome), fhir.errorsOf(outcome)]).toEqual([503, [['error', 'transient', 'The export cannot be made right now.', undefined]], []])
  })
})

describe('the FHIR routes', () => {
  it.each<['/consultation-images' | '/consultations', () => number]>([
    ['/consultation-images', () => clinic.images.own.id],
    ['/consultations', () => clinic.consultations.own],
  ])('should answer POST on %s/:id/fhir with 405 and Allow', async (prefix, id) => {
    const res = await api.request('POST', `${prefix}/${String(id())}/fhir`, { body: {}, token: clinic.doctor.token })
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'GET'])
  })

  it('should be left out when the plugin is disabled', () => {
    const host = { collections: [{ slug: 'users', auth: true, fields: [] }], db: ctx.payload.config.db, secret: 'unit' }
    const fhirPaths = (disabled: boolean) =>
      (dermaImagesPlugin({ disabled })(host).collections ?? []).flatMap((collection) =>
        (Array.isArray(collection.endpoints) ? collection.endpoints : [])
          .filter((endpoint) => endpoint.path === '/:id/fhir' && endpoint.method === 'get')
          .map(() => collection.slug),
      )
    expect([fhirPaths(false), fhirPaths(true)]).toEqual([['consultations', 'consultation-images'], []])
  })
})
