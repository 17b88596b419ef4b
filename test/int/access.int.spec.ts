import type { ActorName } from '../helpers/actors.js'
import type { Clinic } from '../helpers/clinic.js'
import type { RestClient } from '../helpers/rest.js'
import type { TestContext } from '../helpers/payload.js'

import { ownReadStatuses, tokenOf as clinicTokenOf } from '../helpers/actors.js'
import { asUploadFile, makeJpeg } from '../helpers/images.js'
import { startClinic } from '../helpers/setup.js'

let ctx: TestContext
let clinic: Clinic
let api: RestClient

beforeAll(async () => {
  ;({ api, clinic, ...ctx } = await startClinic('access'))
})

afterAll(async () => {
  await ctx.cleanup()
})


const tokenOf = (actor: ActorName): string | undefined => clinicTokenOf(clinic, actor)

const uploadForm = async (consultation: number): Promise<FormData> => {
  const form = new FormData()
  const bytes = await makeJpeg({ seed: 3 })
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'visit.jpg')
  form.append('_payload', JSON.stringify({ acquisition: 'dermoscopic', consultation }))
  return form
}

describe('consultations over REST', () => {
  it.each<[ActorName, number]>([
    ['admin', 2],
    ['doctor', 1],
    ['otherDoctor', 1],
    ['patient', 1],
    ['otherPatient', 1],
  ])('should list only the consultations %s may see (%i)', async (actor, expected) => {
    const res = await api.request('GET', '/consultations', { token: tokenOf(actor) })
    expect(res.status).toBe(200)
    expect((await res.json()).totalDocs).toBe(expected)
  })

  it('should ask anonymous users to log in before listing', async () => {
    const res = await api.request('GET', '/consultations')
    expect(res.status).toBe(401)
  })

  it.each(ownReadStatuses)('should answer %s reading the own consultation with %i', async (actor, status) => {
    const res = await api.request('GET', `/consultations/${clinic.consultations.own}`, { token: tokenOf(actor) })
    expect(res.status).toBe(status)
  })

  it.each<[ActorName, number]>([
    ['admin', 200],
    ['doctor', 200],
    ['otherDoctor', 404],
    ['patient', 403],
    ['otherPatient', 404],
    ['anonymous', 401],
  ])('should answer %s updating the own consultation with %i', async (actor, status) => {
    const res = await api.request('PATCH', `/consultations/${clinic.consultations.own}`, {
      body: { notes: `edited by ${actor}` },
      token: tokenOf(actor),
    })
    expect(res.status).toBe(status)
  })

  it('should refuse a doctor handing their consultation to another doctor', async () => {
    const res = await api.request('PATCH', `/consultations/${clinic.consultations.own}`, {
      body: { doctor: clinic.otherDoctor.id },
      token: clinic.doctor.token,
    })
    expect(res.status).toBe(403)
  })

  it.each<[ActorName, number]>([
    ['admin', 201],
    ['doctor', 201],
    ['patient', 403],
    ['anonymous', 401],
  ])('should answer %s creating a consultation with %i', async (actor, status) => {
    const res = await api.request('POST', '/consultations', {
      body: { doctor: clinic.doctor.id, patient: clinic.patient.id, reason: 'Rash' },
      token: tokenOf(actor),
    })
    expect(res.status).toBe(status)
  })

  it('should refuse a doctor creating a consultation in another doctor’s name', async () => {
    const res = await api.request('POST', '/consultations', {
      body: { doctor: clinic.otherDoctor.id, patient: clinic.patient.id },
      token: clinic.doctor.token,
    })
    expect(res.status).toBe(403)
  })

  it('should make the creating doctor the consultation’s doctor by default', async () => {
    const res = await api.request('POST', '/consultations', {
      body: { patient: clinic.patient.id },
      token: clinic.doctor.token,
    })
    expect((await res.json()).doc.doctor.id).toBe(clinic.doctor.id)
  })

  it.each<[ActorName, number]>([
    ['otherDoctor', 404],
    ['patient', 403],
    ['anonymous', 401],
  ])('should answer %s deleting the own consultation with %i', async (actor, status) => {
    const res = await api.request('DELETE', `/consultations/${clinic.consultations.own}`, { token: tokenOf(actor) })
    expect(res.status).toBe(status)
  })
})

describe('consultation images over REST', () => {
  it.each(ownReadStatuses)('should answer %s reading the own image with %i', async (actor, status) => {
    const res = await api.request('GET', `/consultation-images/${clinic.images.own.id}`, { token: tokenOf(actor) })
    expect(res.status).toBe(status)
  })

  it.each<[ActorName]>([['doctor'], ['patient']])('should list to %s only the images of their consultations', async (actor) => {
    const res = await api.request('GET', '/consultation-images?limit=100', { token: tokenOf(actor) })
    const ids = (await res.json()).docs.map((doc: { consultation: { id: number } }) => doc.consultation.id)
    expect(new Set(ids)).toEqual(new Set([clinic.consultations.own]))
  })

  it.each<[ActorName, number]>([
    ['admin', 201],
    ['doctor', 201],
    ['otherDoctor', 403],
    ['patient', 403],
    ['anonymous', 401],
  ])('should answer %s uploading to the own consultation with %i', async (actor, status) => {
    const res = await api.request('POST', '/consultation-images', {
      body: await uploadForm(clinic.consultations.own),
      token: tokenOf(actor),
    })
    expect(res.status).toBe(status)
  })

  it.each<[ActorName, number]>([
    ['admin', 200],
    ['doctor', 200],
    ['otherDoctor', 404],
    ['patient', 403],
    ['otherPatient', 404],
    ['anonymous', 401],
  ])('should answer %s editing the own image’s description with %i', async (actor, status) => {
    const res = await api.request('PATCH', `/consultation-images/${clinic.images.own.id}`, {
      body: { description: `seen by ${actor}` },
      token: tokenOf(actor),
    })
    expect(res.status).toBe(status)
  })

  it('should refuse a doctor moving their image into another doctor’s consultation', async () => {
    const res = await api.request('PATCH', `/consultation-images/${clinic.images.own.id}`, {
      body: { consultation: clinic.consultations.other },
      token: clinic.doctor.token,
    })
    expect(res.status).toBe(403)
  })

  it.each<[ActorName, number]>([
    ['otherDoctor', 404],
    ['patient', 403],
    ['anonymous', 401],
  ])('should answer %s deleting the own image with %i', async (actor, status) => {
    const res = await api.request('DELETE', `/consultation-images/${clinic.images.own.id}`, { token: tokenOf(actor) })
    expect(res.status).toBe(status)
  })
})

describe('the file route', () => {
  it.each(ownReadStatuses)('should answer %s fetching the own original with %i', async (actor, status) => {
    const res = await api.request('GET', `/consultation-images/file/${clinic.images.own.filename}`, { token: tokenOf(actor) })
    expect(res.status).toBe(status)
  })

  it.each(ownReadStatuses)('should answer %s fetching the own thumbnail with %i', async (actor, status) => {
    const res = await api.request('GET', `/consultation-images/file/${clinic.images.own.thumbnail}`, { token: tokenOf(actor) })
    expect(res.status).toBe(status)
  })

  it('should serve files privately, unsniffable, with their stored type', async () => {
    const res = await api.request('GET', `/consultation-images/file/${clinic.images.own.thumbnail}`, { token: clinic.doctor.token })
    expect({
      cache: res.headers.get('cache-control'),
      nosniff: res.headers.get('x-content-type-options'),
      type: res.headers.get('content-type'),
    }).toEqual({ cache: 'private, no-store', nosniff: 'nosniff', type: 'image/jpeg' })
  })

  it('should serve a byte range of an original', async () => {
    const res = await api.request('GET', `/consultation-images/file/${clinic.images.own.filename}`, {
      headers: { Range: 'bytes=0-99' },
      token: clinic.doctor.token,
    })
    expect([res.status, (await res.arrayBuffer()).byteLength]).toEqual([206, 100])
  })

  it('should answer 404 to an admin asking for a file no row references', async () => {
    const res = await api.request('GET', '/consultation-images/file/20260101T000000Z_00000000-0000-0000-0000-000000000000.jpg', {
      token: clinic.admin.token,
    })
    expect(res.status).toBe(404)
  })
})

describe('GraphQL', () => {
  const query = '{ Consultations(limit: 100) { totalDocs docs { id } } ConsultationImages(limit: 100) { docs { consultation { id } } } }'

  const visibleConsultations = async (actor: ActorName): Promise<number[]> => {
    const res = await api.graphql(query, tokenOf(actor))
    return (await res.json()).data.Consultations.docs.map((doc: { id: number }) => doc.id)
  }

  it('should give an admin every consultation', async () => {
    const total = await ctx.payload.count({ collection: 'consultations' })
    expect((await visibleConsultations('admin')).length).toBe(total.totalDocs)
  })

  it.each<[ActorName, 'doctor' | 'patient']>([
    ['doctor', 'doctor'],
    ['otherDoctor', 'doctor'],
    ['patient', 'patient'],
    ['otherPatient', 'patient'],
  ])('should give %s only consultations where they are the %s', async (actor, field) => {
    const ids = await visibleConsultations(actor)
    const own = await ctx.payload.find({
      collection: 'consultations',
      limit: 100,
      where: { [field]: { equals: clinic[actor as 'doctor'].id } },
    })
    expect(new Set(ids)).toEqual(new Set(own.docs.map((doc) => doc.id)))
  })

  it('should give a patient only the images of their consultations', async () => {
    const res = await api.graphql(query, clinic.patient.token)
    const ids = (await res.json()).data.ConsultationImages.docs.map((doc: { consultation: { id: number } }) => doc.consultation.id)
    expect(new Set(ids)).toEqual(new Set([clinic.consultations.own]))
  })

  it('should give anonymous users no consultations', async () => {
    const res = await api.graphql('{ Consultations { totalDocs } }')
    expect((await res.json()).errors[0].message).toMatch(/not allowed/i)
  })

  it('should refuse a patient the updateConsultation mutation', async () => {
    const res = await api.graphql(
      `mutation { updateConsultation(id: ${clinic.consultations.own}, data: { notes: "x" }) { id } }`,
      clinic.patient.token,
    )
    expect((await res.json()).errors[0].message).toMatch(/not allowed/i)
  })
})

describe('the Local API on a user’s behalf', () => {
  it('should hide another doctor’s image from a doctor', async () => {
    const result = await ctx.payload.find({
      collection: 'consultation-images',
      overrideAccess: false,
      user: clinic.otherDoctor.user,
      where: { id: { equals: clinic.images.own.id } },
    })
    expect(result.totalDocs).toBe(0)
  })

  it('should refuse a patient creating an image', async () => {
    await expect(
      ctx.payload.create({
        collection: 'consultation-images',
        data: { consultation: clinic.consultations.own } as never,
        file: asUploadFile(await makeJpeg()),
        overrideAccess: false,
        user: clinic.patient.user,
      }),
    ).rejects.toThrow(/not allowed/i)
  })
})
