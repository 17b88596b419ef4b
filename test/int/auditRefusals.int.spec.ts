import type { AuditRow } from '../helpers/audit.js'
import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { startAuditedClinic } from '../helpers/audit.js'

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let eventsOf: (act: () => Promise<unknown>) => Promise<AuditRow[]>
/** A lesion of the own patient, created by the own doctor. */
let lesion: number

beforeAll(async () => {
  ;({ api, clinic, eventsOf, ...ctx } = await startAuditedClinic('audit_refusals'))
  lesion = await createLesion('Mole left shoulder #2')
})

afterAll(async () => {
  await ctx.cleanup()
})

/** Fixture set-up: a lesion of the own patient, by the own doctor (through the Local API, audited as `local`). */
const createLesion = async (label: string): Promise<number> =>
  (
    await ctx.payload.create({
      collection: 'lesions',
      data: { label, patient: clinic.patient.id } as never,
      overrideAccess: false,
      user: clinic.doctor.user,
    })
  ).id

const get = (path: `/${string}`, token?: string) => api.request('GET', path, { token })

/** GraphQL, answered and read to its end. */
const graphql = async (query: string, token?: string, variables?: Record<string, unknown>) => (await api.graphql(query, token, variables)).json()

const own = () => ({
  consultation: String(clinic.consultations.own),
  image: String(clinic.images.own.id),
  lesion: String(lesion),
  patient: String(clinic.patient.id),
})

type Refusal = [action: string, channel: string, collection: null | string, id: null | string, status: null | string, consultation: null | string, patient: null | string]
const refusal = (row: AuditRow): Refusal => [row.action, row.channel, row.document_collection, row.document_id, row.status, row.consultation, row.patient]

describe('GraphQL refusals', () => {
  it.each<[string, () => Promise<unknown>, () => Refusal]>([
    [
      'another doctor’s read of an image',
      () => graphql(`{ ConsultationImage(id: ${own().image}) { id } }`, clinic.otherDoctor.token),
      () => ['denied', 'graphql', 'consultation-images', own().image, '404', own().consultation, own().patient],
    ],
    [
      'a patient’s update of their consultation',
      () => graphql(`mutation { updateConsultation(id: ${own().consultation}, data: { reason: "x" }) { id } }`, clinic.patient.token),
      () => ['denied', 'graphql', 'consultations', own().consultation, '403', own().consultation, own().patient],
    ],
    [
      'a patient’s delete of their image',
      () => graphql(`mutation { deleteConsultationImage(id: ${own().image}) { id } }`, clinic.patient.token),
      () => ['denied', 'graphql', 'consultation-images', own().image, '403', own().consultation, own().patient],
    ],
    [
      'another doctor’s read of a lesion',
      () => graphql(`{ Lesion(id: ${own().lesion}) { id } }`, clinic.otherDoctor.token),
      () => ['denied', 'graphql', 'lesions', own().lesion, '404', null, own().patient],
    ],
    [
      'an anonymous list of consultations',
      () => graphql('{ Consultations { docs { id } } }'),
      () => ['denied', 'graphql', 'consultations', null, '403', null, null],
    ],
  ])('should record %s as denied through the graphql channel', async (_name, act, expected) => {
    const events = await eventsOf(act)
    expect(events.map(refusal)).toEqual([expected()])
  })

  it('should record the ID of an aliased query that names it in a variable', async () => {
    const events = await eventsOf(() =>
      graphql('query Peek($id: Int!) { peek: ConsultationImage(id: $id) { id } }', clinic.otherPatient.token, { id: clinic.images.own.id }),
    )
    expect(events.map((event) => [event.action, event.document_id, event.role, event.user])).toEqual([
      ['denied', own().image, 'patient', String(clinic.otherPatient.id)],
    ])
  })

  it('should record one refusal per refused field, and the allowed reads beside them', async () => {
    const events = await eventsOf(() =>
      graphql(`{ mine: Consultation(id: ${own().consultation}) { id } theirs: Consultation(id: ${String(clinic.consultations.other)}) { id } }`, clinic.patient.token),
    )
    expect(events.map((event) => [event.action, event.document_id]).sort()).toEqual(
      [
        ['denied', String(clinic.consultations.other)],
        ['read', own().consultation],
      ].sort(),
    )
  })

  it('should record no refusal for an allowed GraphQL read', async () => {
    const events = await eventsOf(() => graphql(`{ Consultation(id: ${own().consultation}) { id } }`, clinic.doctor.token))
    expect(events.map((event) => event.action)).toEqual(['read'])
  })
})

describe('refusals carry the patient of the document', () => {
  it('should record another doctor’s REST read of a consultation with its consultation and patient', async () => {
    const events = await eventsOf(() => get(`/consultations/${own().consultation}`, clinic.otherDoctor.token))
    expect(events.map(refusal)).toEqual([['denied', 'rest', 'consultations', own().consultation, '404', own().consultation, own().patient]])
  })

  it('should record another patient’s ZIP of a consultation with its patient', async () => {
    const events = await eventsOf(async () => (await get(`/consultations/${own().consultation}/images/download`, clinic.otherPatient.token)).arrayBuffer())
    expect(events.map(refusal)).toEqual([['denied', 'zip', 'consultations', own().consultation, '404', own().consultation, own().patient]])
  })

  it('should record a refusal of an ID that does not exist without consultation or patient', async () => {
    const events = await eventsOf(() => get('/consultations/999999', clinic.otherDoctor.token))
    expect(events.map(refusal)).toEqual([['denied', 'rest', 'consultations', '999999', '404', null, null]])
  })

  it('should still record a refusal of an ID that cannot be one (not a number), without patient', async () => {
    const events = await eventsOf(async () => (await get('/consultations/abc/images/download')).arrayBuffer())
    expect(events.map(refusal)).toEqual([['denied', 'zip', 'consultations', 'abc', '401', null, null]])
  })

  it('should still record a refusal of an image ID that cannot be one, without consultation or patient', async () => {
    const events = await eventsOf(() => get('/consultation-images/abc/fhir'))
    expect(events.map(refusal)).toEqual([['denied', 'fhir', 'consultation-images', 'abc', '401', null, null]])
  })

  it('should show the patient who tried to read their consultation', async () => {
    await get(`/consultations/${own().consultation}`, clinic.otherDoctor.token)
    const query = `where[action][equals]=denied&where[user][equals]=${String(clinic.otherDoctor.id)}&where[documentCollection][equals]=consultations&limit=100`
    const { docs } = (await (await get(`/audit-events?${query}`, clinic.patient.token)).json()) as { docs: { patient: string; role: string }[] }
    expect([docs.length > 0, docs.every((doc) => doc.patient === own().patient && doc.role === 'doctor')]).toEqual([true, true])
  })
})

describe('refused files name their image, by its stored name', () => {
  const unknownName = '20260101T000000Z_00000000-0000-4000-8000-000000000000.jpg'
  const file = (name: string, token?: string) => get(`/consultation-images/file/${name}`, token)

  it.each<[string, () => Promise<Response>]>([
    ['another patient’s original', () => file(clinic.images.own.filename, clinic.otherPatient.token)],
    ['another doctor’s thumbnail', () => file(clinic.images.own.thumbnail, clinic.otherDoctor.token)],
    ['an anonymous original', () => file(clinic.images.own.filename)],
  ])('should record %s with the image, its consultation and patient', async (_name, act) => {
    const events = await eventsOf(act)
    expect(events.map(refusal)).toEqual([['denied', 'file', 'consultation-images', own().image, '403', own().consultation, own().patient]])
  })

  it.each<[string, () => Promise<Response>, string]>([
    ['a patient’s', () => file(unknownName, clinic.patient.token), '403'],
    ['the admin’s', () => file(unknownName, clinic.admin.token), '404'],
    ['a name the server never makes, the admin’s', () => file('photo.jpg', clinic.admin.token), '404'],
  ])('should record %s refusal of a name no image has without document or patient', async (_name, act, status) => {
    const events = await eventsOf(act)
    expect(events.map(refusal)).toEqual([['denied', 'file', 'consultation-images', null, status, null, null]])
  })

  it('should show the patient who tried to download their photo', async () => {
    await file(clinic.images.own.filename, clinic.otherDoctor.token)
    const query = `where[action][equals]=denied&where[channel][equals]=file&where[user][equals]=${String(clinic.otherDoctor.id)}&limit=100`
    const { docs } = (await (await get(`/audit-events?${query}`, clinic.patient.token)).json()) as { docs: { documentId: string }[] }
    expect([docs.length > 0, docs.every((doc) => doc.documentId === own().image)]).toEqual([true, true])
  })
})

describe('lesions', () => {
  type Seen = [action: string, channel: string, collection: null | string, id: null | string, patient: null | string, role: null | string]
  const seen = (row: AuditRow): Seen => [row.action, row.channel, row.document_collection, row.document_id, row.patient, row.role]

  it('should record a REST read of a lesion with its patient', async () => {
    const events = await eventsOf(() => get(`/lesions/${own().lesion}?depth=0`, clinic.patient.token))
    expect(events.map(seen)).toEqual([['read', 'rest', 'lesions', own().lesion, own().patient, 'patient']])
  })

  it('should record a doctor’s read of a lesion alone, not the consultations its access check looks up', async () => {
    const events = await eventsOf(() => get(`/lesions/${own().lesion}?depth=0`, clinic.doctor.token))
    expect(events.map(seen)).toEqual([['read', 'rest', 'lesions', own().lesion, own().patient, 'doctor']])
  })

  it('should record a list of lesions as one read per lesion', async () => {
    const events = await eventsOf(() => get('/lesions?depth=0&limit=100', clinic.admin.token))
    const lesions = events.filter((event) => event.document_collection === 'lesions')
    expect([lesions.length > 0, lesions.every((event) => event.action === 'read' && event.patient === own().patient)]).toEqual([true, true])
  })

  it('should record a create with the new lesion’s ID and patient, and no read of it', async () => {
    let created = 0
    const events = await eventsOf(async () => {
      const res = await api.request('POST', '/lesions?depth=0', { body: { label: 'Naevus back', patient: clinic.patient.id }, token: clinic.doctor.token })
      created = ((await res.json()) as { doc: { id: number } }).doc.id
    })
    expect(events.filter((event) => event.document_collection === 'lesions').map(seen)).toEqual([
      ['create', 'rest', 'lesions', String(created), own().patient, 'doctor'],
    ])
  })

  it('should record an update', async () => {
    const events = await eventsOf(() => api.request('PATCH', `/lesions/${own().lesion}?depth=0`, { body: { status: 'biopsied' }, token: clinic.doctor.token }))
    expect(events.filter((event) => event.document_collection === 'lesions').map(seen)).toEqual([['update', 'rest', 'lesions', own().lesion, own().patient, 'doctor']])
  })

  it('should record a delete', async () => {
    const doomed = String(await createLesion('To be deleted'))
    const events = await eventsOf(() => api.request('DELETE', `/lesions/${doomed}?depth=0`, { token: clinic.doctor.token }))
    expect(events.filter((event) => event.document_collection === 'lesions').map(seen)).toEqual([['delete', 'rest', 'lesions', doomed, own().patient, 'doctor']])
  })

  it.each<[string, () => Promise<Response>, string]>([
    ['another doctor’s read', () => get(`/lesions/${own().lesion}`, clinic.otherDoctor.token), '404'],
    ['the patient’s own update', () => api.request('PATCH', `/lesions/${own().lesion}`, { body: { label: 'Mine' }, token: clinic.patient.token }), '403'],
    ['another patient’s delete', () => api.request('DELETE', `/lesions/${own().lesion}`, { token: clinic.otherPatient.token }), '403'],
  ])('should record %s as denied, with the lesion’s patient', async (_name, act, status) => {
    const events = await eventsOf(act)
    expect(events.map(refusal)).toEqual([['denied', 'rest', 'lesions', own().lesion, status, null, own().patient]])
  })

  it('should record an anonymous list of lesions as denied', async () => {
    const events = await eventsOf(() => get('/lesions'))
    expect(events.map(refusal)).toEqual([['denied', 'rest', 'lesions', null, '403', null, null]])
  })
})
