import type { ActorName } from '../helpers/actors.js'
import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { createLocalReq } from 'payload'

import { timelinePageSize } from '../../src/components/LesionTimeline/entries.js'
import { readTimeline } from '../../src/components/LesionTimeline/read.js'
import { consultationHasLesionImagesMessage, lesionHasImagesMessage } from '../../src/hooks/keepPatientOfLinkedImages.js'
import { lesionOfOtherPatientMessage } from '../../src/hooks/validateLesionPatient.js'
import { tokenOf } from '../helpers/actors.js'
import { auditEventsOf, auditPoolOf } from '../helpers/audit.js'
import { uploadAs } from '../helpers/clinic.js'
import { makeJpeg } from '../helpers/images.js'
import { photoForm, startClinic } from '../helpers/setup.js'
import { readsOf, recordSql } from '../helpers/sqlCounter.js'

let ctx: TestContext
let clinic: Clinic
let api: RestClient
/** A lesion of `patient` made by `doctor`, and one of `otherPatient` made by `otherDoctor`. */
let lesions: { other: number; own: number }
let jpeg: Buffer

const createLesion = async (actor: ActorName, patient: number, label = 'Mole left shoulder #2') =>
  api.request('POST', '/lesions', {
    body: { bodySite: 'shoulder', label, laterality: 'left', patient },
    token: tokenOf(clinic, actor),
  })

const lesionID = async (response: Promise<Response>): Promise<number> => ((await (await response).json()) as { doc: { id: number } }).doc.id

type ErrorBody = { errors: { data?: { errors?: { message: string }[] }; message: string }[] }

/** Every message of an error body: Payload's ValidationError puts each field's under `data.errors`. */
const messages = async (response: Response): Promise<string[]> =>
  ((await response.json()) as ErrorBody).errors.flatMap((error) => [
    error.message,
    ...(error.data?.errors ?? []).map((field) => field.message),
  ])

beforeAll(async () => {
  ;({ api, clinic, ...ctx } = await startClinic('lesions'))
  lesions = {
    other: await lesionID(createLesion('otherDoctor', clinic.otherPatient.id, 'Naevus back')),
    own: await lesionID(createLesion('doctor', clinic.patient.id)),
  }
  jpeg = await makeJpeg({ height: 240, seed: 5, width: 320 })
})

afterAll(async () => {
  await ctx.cleanup()
})

describe('lesion access', () => {
  it.each<[ActorName, number]>([
    ['admin', 201],
    ['doctor', 201],
    ['otherDoctor', 403],
    ['patient', 403],
    ['otherPatient', 403],
    ['anonymous', 401],
  ])('should answer %s creating a lesion for the own patient with %i', async (actor, status) => {
    expect((await createLesion(actor, clinic.patient.id)).status).toBe(status)
  })

  it.each<[ActorName, number]>([
    ['admin', 200],
    ['doctor', 200],
    ['patient', 200],
    ['otherDoctor', 404],
    ['otherPatient', 404],
    ['anonymous', 401],
  ])('should answer %s reading the own lesion with %i', async (actor, status) => {
    const res = await api.request('GET', `/lesions/${lesions.own}`, { token: tokenOf(clinic, actor) })
    expect(res.status).toBe(status)
  })

  it.each<[ActorName, string]>([
    ['doctor', 'patient'],
    ['otherDoctor', 'otherPatient'],
    ['patient', 'patient'],
    ['otherPatient', 'otherPatient'],
  ])('should list to %s only the lesions of %s', async (actor, owner) => {
    const res = await api.request('GET', '/lesions?limit=100&depth=0', { token: tokenOf(clinic, actor) })
    const patients = ((await res.json()) as { docs: { patient: number }[] }).docs.map((doc) => doc.patient)
    expect(new Set(patients)).toEqual(new Set([clinic[owner as 'patient'].id]))
  })

  it('should list every lesion to an admin', async () => {
    const res = await api.request('GET', '/lesions?limit=100', { token: clinic.admin.token })
    expect(((await res.json()) as { totalDocs: number }).totalDocs).toBe((await ctx.payload.count({ collection: 'lesions' })).totalDocs)
  })

  it('should ask anonymous users to log in before listing lesions', async () => {
    expect((await api.request('GET', '/lesions')).status).toBe(401)
  })

  it.each<[ActorName, number]>([
    ['admin', 200],
    ['doctor', 200],
    ['patient', 403],
    ['otherDoctor', 404],
    ['otherPatient', 404],
    ['anonymous', 401],
  ])('should answer %s updating the own lesion with %i', async (actor, status) => {
    const res = await api.request('PATCH', `/lesions/${lesions.own}`, {
      body: { notes: `checked by ${actor}` },
      token: tokenOf(clinic, actor),
    })
    expect(res.status).toBe(status)
  })

  it.each<[ActorName, number]>([
    ['admin', 200],
    ['doctor', 200],
    ['patient', 403],
    ['otherDoctor', 404],
    ['otherPatient', 404],
    ['anonymous', 401],
  ])('should answer %s deleting a lesion the doctor created with %i', async (actor, status) => {
    const id = await lesionID(createLesion('doctor', clinic.patient.id, 'To delete'))
    const res = await api.request('DELETE', `/lesions/${id}`, { token: tokenOf(clinic, actor) })
    expect(res.status).toBe(status)
  })

  it('should refuse a doctor deleting a lesion another user created for their patient', async () => {
    const id = await lesionID(createLesion('admin', clinic.patient.id, 'Made by the admin'))
    const res = await api.request('DELETE', `/lesions/${id}`, { token: clinic.doctor.token })
    expect(res.status).toBe(403)
  })

  it('should refuse a doctor moving their lesion to a patient they have no consultation with', async () => {
    const res = await api.request('PATCH', `/lesions/${lesions.own}`, {
      body: { patient: clinic.otherPatient.id },
      token: clinic.doctor.token,
    })
    expect(res.status).toBe(403)
  })

  it('should keep createdBy the server’s', async () => {
    const res = await api.request('POST', '/lesions', {
      body: { createdBy: clinic.otherDoctor.id, label: 'Spoofed', patient: clinic.patient.id },
      token: clinic.doctor.token,
    })
    expect(((await res.json()) as { doc: { createdBy: { id: number } } }).doc.createdBy.id).toBe(clinic.doctor.id)
  })

  it('should refuse a lesion whose patient is not a patient', async () => {
    const res = await createLesion('admin', clinic.doctor.id)
    expect(res.status).toBe(400)
  })
})

describe('a patient never sees another patient’s lesion', () => {
  it('should filter a patient’s query for another patient’s lesions to nothing', async () => {
    const res = await api.request('GET', `/lesions?where[patient][equals]=${clinic.otherPatient.id}`, { token: clinic.patient.token })
    expect(((await res.json()) as { totalDocs: number }).totalDocs).toBe(0)
  })

  it('should give a patient only their own lesions over GraphQL', async () => {
    const res = await api.graphql('{ Lesions(limit: 100) { docs { patient { id } } } }', clinic.patient.token)
    const patients = ((await res.json()) as { data: { Lesions: { docs: { patient: { id: number } }[] } } }).data.Lesions.docs.map(
      (doc) => doc.patient.id,
    )
    expect(new Set(patients)).toEqual(new Set([clinic.patient.id]))
  })

  it('should not populate another patient’s lesion through the Local API', async () => {
    await expect(
      ctx.payload.findByID({ collection: 'lesions', id: lesions.other, overrideAccess: false, user: clinic.patient.user }),
    ).rejects.toMatchObject({ status: 404 })
  })
})

describe('an image’s lesion belongs to its consultation’s patient', () => {
  it('should link a lesion of the same patient with a role', async () => {
    const res = await api.request('PATCH', `/consultation-images/${clinic.images.own.id}`, {
      body: { lesion: lesions.own, role: 'baseline' },
      token: clinic.doctor.token,
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { doc: { role: string } }).doc.role).toBe('baseline')
  })

  it('should refuse another patient’s lesion on PATCH /consultation-images/:id', async () => {
    const res = await api.request('PATCH', `/consultation-images/${clinic.images.own.id}`, {
      body: { lesion: lesions.other },
      token: clinic.admin.token,
    })
    expect(res.status).toBe(400)
    expect(await messages(res)).toContain(lesionOfOtherPatientMessage)
  })

  it('should refuse another patient’s lesion on POST /consultation-images', async () => {
    const res = await api.request('POST', '/consultation-images', {
      body: photoForm(jpeg, { consultation: clinic.consultations.own, lesion: lesions.other }),
      token: clinic.admin.token,
    })
    expect(res.status).toBe(400)
    expect(await messages(res)).toContain(lesionOfOtherPatientMessage)
  })

  it('should refuse another patient’s lesion on the plugin’s upload endpoint', async () => {
    const res = await api.request('POST', `/consultations/${clinic.consultations.own}/images`, {
      body: photoForm(jpeg, { lesion: lesions.other, role: 'follow-up' }),
      token: clinic.admin.token,
    })
    expect(res.status).toBe(400)
    expect(await messages(res)).toContain(lesionOfOtherPatientMessage)
  })

  it('should store the lesion and role sent to the plugin’s upload endpoint', async () => {
    const res = await api.request('POST', `/consultations/${clinic.consultations.own}/images`, {
      body: photoForm(jpeg, { lesion: lesions.own, role: 'follow-up' }),
      token: clinic.doctor.token,
    })
    expect(res.status).toBe(201)
    expect(((await res.json()) as { doc: { lesion: number; role: string } }).doc).toMatchObject({ lesion: lesions.own, role: 'follow-up' })
  })

  it('should refuse moving a linked image into another patient’s consultation', async () => {
    const image = await uploadAs(ctx.payload, clinic.admin, clinic.consultations.own, { lesion: lesions.own }, 11)
    const res = await api.request('PATCH', `/consultation-images/${image.id}`, {
      body: { consultation: clinic.consultations.other },
      token: clinic.admin.token,
    })
    expect(res.status).toBe(400)
    expect(await messages(res)).toContain(lesionOfOtherPatientMessage)
  })

  it('should refuse another patient’s lesion over GraphQL', async () => {
    const res = await api.graphql(
      `mutation { updateConsultationImage(id: ${clinic.images.own.id}, data: { lesion: ${lesions.other} }) { id } }`,
      clinic.admin.token,
    )
    expect(JSON.stringify(await res.json())).toContain(lesionOfOtherPatientMessage)
  })

  it('should refuse another patient’s lesion through the Local API on create', async () => {
    await expect(uploadAs(ctx.payload, clinic.admin, clinic.consultations.own, { lesion: lesions.other }, 12)).rejects.toMatchObject({
      status: 400,
    })
  })

  it('should refuse another patient’s lesion through the Local API on update', async () => {
    await expect(
      ctx.payload.update({
        collection: 'consultation-images',
        data: { lesion: lesions.other },
        id: clinic.images.own.id,
        overrideAccess: false,
        user: clinic.admin.user,
      }),
    ).rejects.toMatchObject({ status: 400 })
  })

  it('should leave no row behind after refusing a lesion on upload', async () => {
    const before = await ctx.payload.count({ collection: 'consultation-images' })
    await api.request('POST', `/consultations/${clinic.consultations.own}/images`, {
      body: photoForm(jpeg, { lesion: lesions.other }),
      token: clinic.admin.token,
    })
    expect((await ctx.payload.count({ collection: 'consultation-images' })).totalDocs).toBe(before.totalDocs)
  })

  it('should keep a consultation with lesion-linked images on its patient', async () => {
    const res = await api.request('PATCH', `/consultations/${clinic.consultations.own}`, {
      body: { patient: clinic.otherPatient.id },
      token: clinic.admin.token,
    })
    expect(res.status).toBe(400)
    expect(await messages(res)).toContain(consultationHasLesionImagesMessage)
  })

  it('should keep a lesion with images on its patient', async () => {
    const res = await api.request('PATCH', `/lesions/${lesions.own}`, {
      body: { patient: clinic.otherPatient.id },
      token: clinic.admin.token,
    })
    expect(res.status).toBe(400)
    expect(await messages(res)).toContain(lesionHasImagesMessage)
  })
})

describe('lesion access reads the doctor’s consultations once per request', () => {
  /** The statements that list a doctor's consultations for lesion access (`select … from "consultations"`). */
  const consultationReads = async (run: () => Promise<Response>): Promise<{ reads: number; status: number }> => {
    let status = 0
    const statements = await recordSql(ctx.payload, async () => {
      status = (await run()).status
    })
    return { reads: readsOf(statements, 'consultations').length, status }
  }

  it('should read them once for the access results of every lesion operation', async () => {
    // GET /api/access checks lesions' read, update and delete access (each needing the patients).
    const { reads, status } = await consultationReads(() => api.request('GET', '/access', { token: clinic.doctor.token }))
    expect(status).toBe(200)
    expect(reads).toBe(1)
  })

  it('should read them once for an update checked against the new patient and the old scope', async () => {
    const { reads, status } = await consultationReads(() =>
      api.request('PATCH', `/lesions/${lesions.own}`, { body: { notes: 'once', patient: clinic.patient.id }, token: clinic.doctor.token }),
    )
    expect(status).toBe(200)
    expect(reads).toBe(1)
  })

  it('should read them again on the next request, so a reassigned consultation applies at once', async () => {
    // Test set-up: a patient whose only consultation is with `doctor`, and a lesion of theirs.
    const newcomer = await ctx.payload.create({
      collection: 'users',
      data: { email: 'newcomer@test.clinic', name: 'New patient', password: 'correct-horse-battery-staple', role: 'patient' } as never,
      overrideAccess: true,
    })
    const consultation = await ctx.payload.create({
      collection: 'consultations',
      data: { doctor: clinic.doctor.id, patient: newcomer.id, reason: 'First visit' } as never,
      overrideAccess: true,
    })
    const lesion = await lesionID(createLesion('doctor', newcomer.id, 'Naevus right calf'))
    const read = (actor: ActorName) => api.request('GET', `/lesions/${lesion}`, { token: tokenOf(clinic, actor) })
    expect((await read('doctor')).status).toBe(200)
    expect((await read('otherDoctor')).status).toBe(404)

    const moved = await api.request('PATCH', `/consultations/${consultation.id}`, {
      body: { doctor: clinic.otherDoctor.id },
      token: clinic.admin.token,
    })
    expect(moved.status).toBe(200)
    expect((await read('doctor')).status).toBe(404)
    expect((await read('otherDoctor')).status).toBe(200)
  })
})

describe('the timeline’s audit trail', () => {
  const linked = 26
  let lesion: number
  let imageIDs: number[]

  beforeAll(async () => {
    // Test set-up: more images linked to one lesion than a timeline page shows.
    lesion = await lesionID(createLesion('doctor', clinic.patient.id, 'Naevus left calf'))
    imageIDs = []
    for (let seed = 0; seed < linked; seed += 1) {
      const image = await uploadAs(ctx.payload, clinic.doctor, clinic.consultations.own, { lesion, role: 'follow-up' }, 100 + seed)
      imageIDs.push(image.id)
    }
  })

  const firstPage = async () => {
    const req = await createLocalReq({ user: clinic.doctor.user as never }, ctx.payload)
    let timeline: Awaited<ReturnType<typeof readTimeline>> = { entries: [], order: [] }
    const events = await auditEventsOf(auditPoolOf(ctx.payload))(async () => {
      timeline = await readTimeline({ consultationsSlug: 'consultations', imagesSlug: 'consultation-images', req }, lesion)
    })
    return { events, timeline }
  }

  it('should record a read of the images the first page shows, not of every linked image', async () => {
    const { events, timeline } = await firstPage()
    const shown = timeline.entries.map(({ image }) => String(image.id))
    const readImages = events.filter((event) => event.action === 'read' && event.document_collection === 'consultation-images')
    expect([timeline.order.length, shown.length, readImages.map((event) => event.document_id).sort()]).toEqual([linked, timelinePageSize, [...shown].sort()])
  })

  it('should give the first page the images first in capture order, read with the doctor’s access', async () => {
    const { events, timeline } = await firstPage()
    expect([
      timeline.entries.map(({ image }) => image.id),
      [...new Set(events.map((event) => [event.user, event.role, event.patient].join()))],
    ]).toEqual([timeline.order.slice(0, timelinePageSize), [[String(clinic.doctor.id), 'doctor', String(clinic.patient.id)].join()]])
  })

  it('should record the page "Show more" reads (Payload’s REST list by ID) as reads of its images only', async () => {
    const { timeline } = await firstPage()
    const next = timeline.order.slice(timelinePageSize)
    const query = [`depth=0&limit=${next.length}`, ...next.map((id, index) => `where[id][in][${index}]=${id}`)].join('&')
    const events = await auditEventsOf(auditPoolOf(ctx.payload))(async () => (await api.request('GET', `/consultation-images?${query}`, { token: clinic.doctor.token })).json())
    expect(events.map((event) => [event.action, event.document_id]).sort()).toEqual(next.map((id) => ['read', String(id)]).sort())
  })
})
