import { jest } from '@jest/globals'

import type { AuditPool, AuditRow } from '../helpers/audit.js'
import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { startAuditedClinic, withBrokenAuditTrail as withBrokenTrail } from '../helpers/audit.js'
import { uploadAs } from '../helpers/clinic.js'
import { makeJpeg } from '../helpers/images.js'
import { photoForm } from '../helpers/setup.js'

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let pool: AuditPool
let eventsOf: (act: () => Promise<unknown>) => Promise<AuditRow[]>

beforeAll(async () => {
  ;({ api, clinic, eventsOf, pool, ...ctx } = await startAuditedClinic('audit'))
})

afterAll(async () => {
  await ctx.cleanup()
})

const get = (path: `/${string}`, token?: string) => api.request('GET', path, { token })

/** Renames the table away while `act` runs, so that every audit insert fails. */
const withBrokenAuditTrail = <T>(act: () => Promise<T>): Promise<T> => withBrokenTrail(pool, act)

const own = () => ({
  consultation: String(clinic.consultations.own),
  image: String(clinic.images.own.id),
  patient: String(clinic.patient.id),
})

describe('what is recorded', () => {
  it('should record a REST read of an image with who, role, channel, document, consultation and patient', async () => {
    const events = await eventsOf(() => get(`/consultation-images/${clinic.images.own.id}?depth=0`, clinic.doctor.token))
    expect(events.map(({ action, channel, consultation, document_collection, document_id, patient, role, user }) => ({ action, channel, consultation, document_collection, document_id, patient, role, user }))).toEqual([
      {
        action: 'read',
        channel: 'rest',
        consultation: own().consultation,
        document_collection: 'consultation-images',
        document_id: own().image,
        patient: own().patient,
        role: 'doctor',
        user: String(clinic.doctor.id),
      },
    ])
  })

  it('should record a list read as one row per document, written by one insert', async () => {
    const events = await eventsOf(() => get('/consultation-images?depth=0&limit=100', clinic.admin.token))
    // One insert stamps its rows with one time.
    expect([events.map((event) => event.action), new Set(events.map((event) => event.created_at.getTime())).size]).toEqual([['read', 'read'], 1])
  })

  it('should record a GraphQL read through the graphql channel', async () => {
    const events = await eventsOf(() => api.graphql('{ ConsultationImages { docs { id } } }', clinic.patient.token))
    expect(events.map((event) => [event.action, event.channel, event.document_id, event.patient])).toEqual([['read', 'graphql', own().image, own().patient]])
  })

  it('should record the download of an original through the file route, and no read behind it', async () => {
    const events = await eventsOf(() => get(`/consultation-images/file/${clinic.images.own.filename}`, clinic.patient.token))
    expect(events.map((event) => [event.action, event.channel, event.variant, event.document_id, event.patient])).toEqual([
      ['file-download', 'file', 'original', own().image, own().patient],
    ])
  })

  it('should record the admin’s download of an original too (access is true, the route looks the row up)', async () => {
    const events = await eventsOf(() => get(`/consultation-images/file/${clinic.images.own.filename}`, clinic.admin.token))
    expect(events.map((event) => [event.action, event.role, event.variant])).toEqual([['file-download', 'admin', 'original']])
  })

  it('should not record thumbnails one by one (the read that listed them is recorded)', async () => {
    const events = await eventsOf(() => get(`/consultation-images/file/${clinic.images.own.thumbnail}`, clinic.patient.token))
    expect(events).toEqual([])
  })

  it('should record a ZIP export as one event on the consultation', async () => {
    const events = await eventsOf(async () => {
      const response = await get(`/consultations/${clinic.consultations.own}/images/download`, clinic.doctor.token)
      await response.arrayBuffer()
    })
    expect(events.map((event) => [event.action, event.channel, event.document_collection, event.document_id, event.patient])).toEqual([
      ['zip-export', 'zip', 'consultations', own().consultation, own().patient],
    ])
  })

  it('should record a FHIR export of an image with its consultation and patient', async () => {
    const events = await eventsOf(() => get(`/consultation-images/${clinic.images.own.id}/fhir`, clinic.patient.token))
    expect(events.map((event) => [event.action, event.channel, event.document_id, event.consultation, event.patient])).toEqual([
      ['fhir-export', 'fhir', own().image, own().consultation, own().patient],
    ])
  })

  it('should record a FHIR Bundle of a consultation as one event', async () => {
    const events = await eventsOf(() => get(`/consultations/${clinic.consultations.own}/fhir`, clinic.doctor.token))
    expect(events.map((event) => [event.action, event.document_collection, event.document_id])).toEqual([['fhir-export', 'consultations', own().consultation]])
  })

  it('should record a create with the new image’s ID', async () => {
    const events = await eventsOf(async () =>
      api.request('POST', `/consultations/${clinic.consultations.own}/images`, { body: photoForm(await makeJpeg({ seed: 21 })), token: clinic.doctor.token }),
    )
    const created = events.filter((event) => event.document_collection === 'consultation-images')
    expect(created.map((event) => [event.action, event.channel, event.patient])).toEqual([['create', 'rest', own().patient]])
  })

  it('should record an update, not a read of the image it returns', async () => {
    const events = await eventsOf(() =>
      api.request('PATCH', `/consultation-images/${clinic.images.own.id}`, { body: { description: 'Re-check' }, token: clinic.doctor.token }),
    )
    const images = events.filter((event) => event.document_collection === 'consultation-images')
    expect(images.map((event) => [event.action, event.document_id, event.user])).toEqual([['update', own().image, String(clinic.doctor.id)]])
  })

  it('should record the consultation populated into a write’s answer as read', async () => {
    const events = await eventsOf(() =>
      api.request('PATCH', `/consultation-images/${clinic.images.own.id}?depth=1`, { body: { description: 'Re-check' }, token: clinic.doctor.token }),
    )
    expect(events.filter((event) => event.document_collection === 'consultations').map((event) => [event.action, event.document_id])).toEqual([['read', own().consultation]])
  })

  it('should record a delete', async () => {
    const image = await uploadAs(ctx.payload, clinic.doctor, clinic.consultations.own, {}, 22)
    const events = await eventsOf(() => api.request('DELETE', `/consultation-images/${image.id}`, { token: clinic.doctor.token }))
    expect(events.filter((event) => event.action === 'delete').map((event) => [event.document_id, event.patient])).toEqual([[String(image.id), own().patient]])
  })

  it('should record a write through the Local API on behalf of a user as the local channel', async () => {
    const events = await eventsOf(() =>
      ctx.payload.update({ collection: 'consultations', data: { reason: 'Follow-up' }, id: clinic.consultations.own, overrideAccess: false, user: clinic.doctor.user }),
    )
    expect(events.map((event) => [event.action, event.channel, event.document_collection])).toEqual([['update', 'local', 'consultations']])
  })

  it('should not record the system’s own Local API calls (overrideAccess: true)', async () => {
    const events = await eventsOf(() => ctx.payload.find({ collection: 'consultation-images', overrideAccess: true }))
    expect(events).toEqual([])
  })
})

describe('what is recorded as denied', () => {
  type Expected = [channel: string, role: null | string, status: string, documentId: null | string]
  it.each<[string, () => Promise<Response>, () => Expected]>([
    ['another doctor’s REST read', () => get(`/consultation-images/${clinic.images.own.id}`, clinic.otherDoctor.token), () => ['rest', 'doctor', '404', own().image]],
    ['an anonymous list', () => get('/consultations'), () => ['rest', null, '403', null]],
    ['a patient’s update', () => api.request('PATCH', `/consultations/${clinic.consultations.own}`, { body: { reason: 'x' }, token: clinic.patient.token }), () => ['rest', 'patient', '403', own().consultation]],
    ['another patient’s ZIP', () => get(`/consultations/${clinic.consultations.own}/images/download`, clinic.otherPatient.token), () => ['zip', 'patient', '404', own().consultation]],
    ['an anonymous FHIR export', () => get(`/consultations/${clinic.consultations.own}/fhir`), () => ['fhir', null, '401', own().consultation]],
    ['another patient’s file', () => get(`/consultation-images/file/${clinic.images.own.filename}`, clinic.otherPatient.token), () => ['file', 'patient', '403', own().image]],
  ])('should record %s', async (_name, act, expected) => {
    const events = await eventsOf(act)
    expect(events.map((event) => [event.action, event.channel, event.role, event.status, event.document_id])).toEqual([['denied', ...expected()]])
  })
})

describe('who may do what with audit events', () => {
  const someEvent = async (): Promise<number> => (await pool.query('SELECT id FROM audit_events ORDER BY id LIMIT 1')).rows[0]?.id ?? 0

  it.each(['admin', 'doctor', 'patient'] as const)('should refuse %s a create, an update and a delete over REST', async (actor) => {
    const token = clinic[actor].token
    const id = await someEvent()
    const statuses = [
      (await api.request('POST', '/audit-events', { body: { action: 'read', channel: 'rest' }, token })).status,
      (await api.request('PATCH', `/audit-events/${id}`, { body: { action: 'denied' }, token })).status,
      (await api.request('DELETE', `/audit-events/${id}`, { token })).status,
    ]
    expect(statuses.every((status) => status === 403 || status === 404)).toBe(true)
  })

  it('should leave the audit trail unchanged after every refused REST write', async () => {
    const before = (await pool.query('SELECT * FROM audit_events WHERE id = $1', [await someEvent()])).rows
    await api.request('PATCH', `/audit-events/${await someEvent()}`, { body: { action: 'denied', user: '0' }, token: clinic.admin.token })
    await api.request('DELETE', `/audit-events/${await someEvent()}`, { token: clinic.admin.token })
    expect((await pool.query('SELECT * FROM audit_events WHERE id = $1', [await someEvent()])).rows).toEqual(before)
  })

  it('should refuse the admin the GraphQL mutations', async () => {
    const id = await someEvent()
    const answers = await Promise.all(
      [
        'mutation { createAuditEvent(data: { action: read, channel: rest }) { id } }',
        `mutation { updateAuditEvent(id: ${id}, data: { user: "0" }) { id } }`,
        `mutation { deleteAuditEvent(id: ${id}) { id } }`,
      ].map(async (query) => ((await (await api.graphql(query, clinic.admin.token)).json()) as { errors?: unknown[] }).errors?.length ?? 0),
    )
    expect(answers.every((count) => count > 0)).toBe(true)
  })

  it('should let the admin filter on user, action and date', async () => {
    const since = new Date(Date.now() - 60_000).toISOString()
    const query = `where[user][equals]=${clinic.doctor.id}&where[action][equals]=update&where[createdAt][greater_than]=${since}&limit=100`
    const { docs, totalDocs } = (await (await get(`/audit-events?${query}`, clinic.admin.token)).json()) as { docs: { action: string; user: string }[]; totalDocs: number }
    expect([totalDocs > 0, docs.every((doc) => doc.action === 'update' && doc.user === String(clinic.doctor.id))]).toEqual([true, true])
  })

  it('should show a patient only the events about their own records', async () => {
    const { docs } = (await (await get('/audit-events?limit=0', clinic.patient.token)).json()) as { docs: { patient: string }[] }
    expect([docs.length > 0, docs.every((doc) => doc.patient === own().patient)]).toEqual([true, true])
  })

  it('should answer 404 to a patient asking for another patient’s event by ID', async () => {
    await get(`/consultation-images/${clinic.images.other.id}`, clinic.otherPatient.token)
    const { rows } = await pool.query('SELECT id FROM audit_events WHERE patient = $1 ORDER BY id DESC LIMIT 1', [String(clinic.otherPatient.id)])
    expect((await get(`/audit-events/${rows[0]?.id ?? 0}`, clinic.patient.token)).status).toBe(404)
  })

  it('should show a doctor no events', async () => {
    expect((await get('/audit-events', clinic.doctor.token)).status).toBe(403)
  })
})

describe('data hygiene', () => {
  it('should keep no names, emails, descriptions, file names or camera data in any row', async () => {
    await get(`/consultation-images/${clinic.images.own.id}`, clinic.doctor.token)
    const { rows } = await pool.query('SELECT * FROM audit_events')
    const text = JSON.stringify(rows)
    const forbidden = [clinic.doctor.email, clinic.patient.email, 'doctor doctor@', 'Re-check', 'photo.jpg', 'lesion.jpg', clinic.images.own.filename, 'Pigmented lesion']
    expect(forbidden.filter((value) => text.includes(value))).toEqual([])
  })

  it('should record no client address by default, whatever X-Forwarded-For says', async () => {
    const events = await eventsOf(() =>
      api.request('GET', `/consultations/${clinic.consultations.own}?depth=0`, { headers: { 'X-Forwarded-For': '203.0.113.9' }, token: clinic.doctor.token }),
    )
    expect(events.map((event) => event.ip)).toEqual([null])
  })
})

describe('when the audit trail cannot be written', () => {
  it('should still answer a read, and log the lost events', async () => {
    const error = jest.spyOn(ctx.payload.logger, 'error').mockImplementation(() => undefined)
    const status = await withBrokenAuditTrail(async () => (await get(`/consultation-images/${clinic.images.own.id}`, clinic.doctor.token)).status)
    const logged = error.mock.calls.some(([entry]) => String((entry as { msg?: string }).msg).includes('audit event(s) could not be written'))
    error.mockRestore()
    expect([status, logged]).toEqual([200, true])
  })

  it('should refuse a ZIP export with 503, before any byte', async () => {
    const error = jest.spyOn(ctx.payload.logger, 'error').mockImplementation(() => undefined)
    const response = await withBrokenAuditTrail(() => get(`/consultations/${clinic.consultations.own}/images/download`, clinic.doctor.token))
    error.mockRestore()
    expect([response.status, response.headers.get('content-type')]).toEqual([503, 'application/json'])
  })

  it('should refuse a FHIR export with 503', async () => {
    const error = jest.spyOn(ctx.payload.logger, 'error').mockImplementation(() => undefined)
    const response = await withBrokenAuditTrail(() => get(`/consultation-images/${clinic.images.own.id}/fhir`, clinic.doctor.token))
    error.mockRestore()
    expect(response.status).toBe(503)
  })

  it('should refuse to serve an original with 503', async () => {
    const error = jest.spyOn(ctx.payload.logger, 'error').mockImplementation(() => undefined)
    const response = await withBrokenAuditTrail(() => get(`/consultation-images/file/${clinic.images.own.filename}`, clinic.patient.token))
    error.mockRestore()
    expect(response.status).toBe(503)
  })

  it('should roll an update back rather than make it untraced', async () => {
    const error = jest.spyOn(ctx.payload.logger, 'error').mockImplementation(() => undefined)
    const response = await withBrokenAuditTrail(() =>
      api.request('PATCH', `/consultations/${clinic.consultations.own}`, { body: { reason: 'Untraced' }, token: clinic.doctor.token }),
    )
    error.mockRestore()
    const stored = await ctx.payload.findByID({ collection: 'consultations', id: clinic.consultations.own })
    expect([response.status >= 500, (stored as { reason?: string }).reason]).toEqual([true, 'Follow-up'])
  })
})
