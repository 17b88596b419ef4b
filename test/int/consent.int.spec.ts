import type { ActorName } from '../helpers/actors.js'
import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { tokenOf } from '../helpers/actors.js'
import { uploadAs } from '../helpers/clinic.js'
import { makeJpeg } from '../helpers/images.js'
import { listUploads } from '../helpers/payload.js'
import { photoForm, startClinic } from '../helpers/setup.js'

type Record = { consentRecordedAt: null | string; consentRecordedBy: null | number; consentScopes: string[] }
type Pool = { query: (sql: string, params?: unknown[]) => Promise<{ rows: { [key: string]: unknown }[] }> }
type ErrorBody = { errors: { data?: { errors?: { message: string; path?: string }[] }; message: string; path?: string }[] }

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let pool: Pool
let jpeg: Buffer

beforeAll(async () => {
  ;({ api, clinic, ...ctx } = await startClinic('consent'))
  pool = (ctx.payload.db as unknown as { pool: Pool }).pool
  jpeg = await makeJpeg({ height: 240, seed: 3, width: 320 })
})

afterAll(async () => {
  await ctx.cleanup()
})

/** The image's consent record as stored (a system read). */
const recordOf = async (id: number): Promise<Record> => {
  const doc = (await ctx.payload.findByID({ collection: 'consultation-images', depth: 0, id, overrideAccess: true })) as unknown as Record
  return { consentRecordedAt: doc.consentRecordedAt, consentRecordedBy: doc.consentRecordedBy, consentScopes: doc.consentScopes }
}

/** Runs `act` and answers its result with the window of time it ran in. */
const timed = async <T>(act: () => Promise<T>): Promise<{ after: number; before: number; result: T }> => {
  const before = Date.now()
  const result = await act()
  return { after: Date.now(), before, result }
}

const isWithin = (at: null | string, { after, before }: { after: number; before: number }): boolean =>
  at !== null && new Date(at).getTime() >= before && new Date(at).getTime() <= after

const messagesOf = async (res: Response): Promise<string[]> =>
  ((await res.json()) as ErrorBody).errors.flatMap((error) => [error.message, ...(error.data?.errors ?? []).map((field) => `${field.path ?? ''}: ${field.message}`)])

const newImage = async (scopes?: string[]): Promise<number> =>
  (await uploadAs(ctx.payload, clinic.doctor, clinic.consultations.own, scopes ? { consentScopes: scopes } : {}, 40)).id

const patch = (id: number, body: Record | { [key: string]: unknown }, actor: ActorName = 'doctor') =>
  api.request('PATCH', `/consultation-images/${id}?depth=0`, { body, token: tokenOf(clinic, actor) })

const stored = async () => ({ files: await listUploads(ctx.uploadsDir), rows: (await ctx.payload.count({ collection: 'consultation-images' })).totalDocs })

describe('the consent record on create', () => {
  it('should record the doctor and the time on the plugin’s upload endpoint', async () => {
    const { result: res, ...window } = await timed(() =>
      api.request('POST', `/consultations/${clinic.consultations.own}/images`, { body: photoForm(jpeg, { consentScopes: ['care', 'teaching'] }), token: clinic.doctor.token }),
    )
    const { doc } = (await res.json()) as { doc: Record & { id: number } }
    const record = await recordOf(doc.id)
    expect([res.status, record.consentScopes, record.consentRecordedBy, isWithin(record.consentRecordedAt, window)]).toEqual([201, ['care', 'teaching'], clinic.doctor.id, true])
  })

  it('should record the doctor and the time on Payload’s POST /api/consultation-images', async () => {
    const { result: res, ...window } = await timed(() =>
      api.request('POST', '/consultation-images', {
        body: photoForm(jpeg, { consentScopes: ['research'], consultation: clinic.consultations.own }),
        token: clinic.doctor.token,
      }),
    )
    const { doc } = (await res.json()) as { doc: { id: number } }
    const record = await recordOf(doc.id)
    expect([res.status, record.consentScopes, record.consentRecordedBy, isWithin(record.consentRecordedAt, window)]).toEqual([201, ['research'], clinic.doctor.id, true])
  })

  it('should record "care" by default, with the user and the time, on the Local API', async () => {
    const { result: id, ...window } = await timed(() => newImage())
    const record = await recordOf(id)
    expect([record.consentScopes, record.consentRecordedBy, isWithin(record.consentRecordedAt, window)]).toEqual([['care'], clinic.doctor.id, true])
  })

  it('should record the admin who uploads for a doctor', async () => {
    const res = await api.request('POST', `/consultations/${clinic.consultations.own}/images`, { body: photoForm(jpeg), token: clinic.admin.token })
    const { doc } = (await res.json()) as { doc: { id: number } }
    expect((await recordOf(doc.id)).consentRecordedBy).toBe(clinic.admin.id)
  })

  it('should ignore a client’s own recordedBy and recordedAt on Payload’s POST /api/consultation-images', async () => {
    const { result: res, ...window } = await timed(() =>
      api.request('POST', '/consultation-images', {
        body: photoForm(jpeg, { consentRecordedAt: '2001-01-01T00:00:00.000Z', consentRecordedBy: clinic.otherDoctor.id, consultation: clinic.consultations.own }),
        token: clinic.doctor.token,
      }),
    )
    const { doc } = (await res.json()) as { doc: { id: number } }
    const record = await recordOf(doc.id)
    expect([res.status, record.consentRecordedBy, isWithin(record.consentRecordedAt, window)]).toEqual([201, clinic.doctor.id, true])
  })

  it('should refuse recordedBy and recordedAt on the plugin’s upload endpoint with a 400 naming them, storing nothing', async () => {
    const before = await stored()
    const res = await api.request('POST', `/consultations/${clinic.consultations.own}/images`, {
      body: photoForm(jpeg, { consentRecordedAt: '2001-01-01T00:00:00.000Z', consentRecordedBy: clinic.otherDoctor.id }),
      token: clinic.doctor.token,
    })
    expect([res.status, await messagesOf(res), await stored()]).toEqual([
      400,
      ['Unknown field "consentRecordedAt".', 'Unknown field "consentRecordedBy".'],
      before,
    ])
  })
})

describe('the consent record on update', () => {
  it('should record who changed the scopes and when on PATCH', async () => {
    const id = await newImage()
    const { result: res, ...window } = await timed(() => patch(id, { consentScopes: ['care', 'teaching'] }, 'admin'))
    const record = await recordOf(id)
    expect([res.status, record.consentScopes, record.consentRecordedBy, isWithin(record.consentRecordedAt, window)]).toEqual([200, ['care', 'teaching'], clinic.admin.id, true])
  })

  it('should record who changed the scopes through GraphQL', async () => {
    const id = await newImage()
    const { result: res, ...window } = await timed(() =>
      api.graphql(`mutation { updateConsultationImage(id: ${id}, data: { consentScopes: [care, research] }) { id } }`, clinic.admin.token),
    )
    const record = await recordOf(id)
    expect([((await res.json()) as { errors?: unknown }).errors, record.consentScopes, record.consentRecordedBy, isWithin(record.consentRecordedAt, window)]).toEqual([
      undefined,
      ['care', 'research'],
      clinic.admin.id,
      true,
    ])
  })

  it('should record who changed the scopes through the Local API', async () => {
    const id = await newImage()
    const { ...window } = await timed(() =>
      ctx.payload.update({ collection: 'consultation-images', data: { consentScopes: ['second-opinion'] }, id, overrideAccess: false, user: clinic.admin.user }),
    )
    const record = await recordOf(id)
    expect([record.consentScopes, record.consentRecordedBy, isWithin(record.consentRecordedAt, window)]).toEqual([['second-opinion'], clinic.admin.id, true])
  })

  it('should keep the record on an update of other fields', async () => {
    const id = await newImage()
    const before = await recordOf(id)
    const res = await patch(id, { bodySite: 'forearm', description: 'Re-check in 3 months' }, 'admin')
    expect([res.status, await recordOf(id)]).toEqual([200, before])
  })

  it('should keep the record when the same scopes are sent in another order', async () => {
    const id = await newImage(['care', 'teaching'])
    const before = await recordOf(id)
    const res = await patch(id, { consentScopes: ['teaching', 'care'] }, 'admin')
    expect([res.status, (await recordOf(id)).consentRecordedBy, (await recordOf(id)).consentRecordedAt]).toEqual([200, before.consentRecordedBy, before.consentRecordedAt])
  })

  it('should ignore a client’s own recordedBy and recordedAt on PATCH', async () => {
    const id = await newImage()
    const before = await recordOf(id)
    const res = await patch(id, { consentRecordedAt: '2001-01-01T00:00:00.000Z', consentRecordedBy: clinic.otherDoctor.id }, 'admin')
    expect([res.status, await recordOf(id)]).toEqual([200, before])
  })

  it('should ignore a client’s own recordedBy and recordedAt sent with a scope change', async () => {
    const id = await newImage()
    const res = await patch(id, { consentRecordedAt: '2001-01-01T00:00:00.000Z', consentRecordedBy: clinic.otherDoctor.id, consentScopes: ['teaching'] }, 'doctor')
    const record = await recordOf(id)
    expect([res.status, record.consentRecordedBy, record.consentRecordedAt?.startsWith('2001')]).toEqual([200, clinic.doctor.id, false])
  })
})

describe('unknown consent scopes', () => {
  it('should refuse an unknown scope on Payload’s POST /api/consultation-images with a 400 naming the field, storing nothing', async () => {
    const before = await stored()
    const res = await api.request('POST', '/consultation-images', {
      body: photoForm(jpeg, { consentScopes: ['care', 'marketing'], consultation: clinic.consultations.own }),
      token: clinic.doctor.token,
    })
    const messages = await messagesOf(res)
    expect([res.status, messages.some((message) => message.includes('consentScopes')), await stored()]).toEqual([400, true, before])
  })

  it('should refuse an unknown scope on the plugin’s upload endpoint with a 400 listing the scopes, storing nothing', async () => {
    const before = await stored()
    const res = await api.request('POST', `/consultations/${clinic.consultations.own}/images`, {
      body: photoForm(jpeg, { consentScopes: ['care', 'marketing'] }),
      token: clinic.doctor.token,
    })
    expect([res.status, await res.json(), await stored()]).toEqual([
      400,
      { errors: [{ message: 'A consent scope is one of: care, second-opinion, teaching, research.', path: 'consentScopes.1' }] },
      before,
    ])
  })

  it('should refuse a repeated scope on the plugin’s upload endpoint with a 400, storing nothing', async () => {
    const before = await stored()
    const res = await api.request('POST', `/consultations/${clinic.consultations.own}/images`, {
      body: photoForm(jpeg, { consentScopes: ['teaching', 'teaching'] }),
      token: clinic.doctor.token,
    })
    expect([res.status, await res.json(), await stored()]).toEqual([400, { errors: [{ message: 'Each consent scope may be given once.', path: 'consentScopes' }] }, before])
  })

  it('should refuse consent scopes that are not a list on the plugin’s upload endpoint with a 400', async () => {
    const res = await api.request('POST', `/consultations/${clinic.consultations.own}/images`, {
      body: photoForm(jpeg, { consentScopes: 'teaching' }),
      token: clinic.doctor.token,
    })
    expect([res.status, ((await res.json()) as ErrorBody).errors.map((error) => error.path)]).toEqual([400, ['consentScopes']])
  })

  it('should accept every known scope on the plugin’s upload endpoint', async () => {
    const all = ['care', 'second-opinion', 'teaching', 'research']
    const res = await api.request('POST', `/consultations/${clinic.consultations.own}/images`, { body: photoForm(jpeg, { consentScopes: all }), token: clinic.doctor.token })
    const { doc } = (await res.json()) as { doc: { id: number } }
    expect([res.status, (await recordOf(doc.id)).consentScopes]).toEqual([201, all])
  })

  it('should refuse an unknown scope on PATCH with a 400 and keep the stored consent', async () => {
    const id = await newImage(['care', 'teaching'])
    const before = await recordOf(id)
    const res = await patch(id, { consentScopes: ['marketing'] }, 'admin')
    expect([res.status, (await messagesOf(res)).some((message) => message.includes('consentScopes')), await recordOf(id)]).toEqual([400, true, before])
  })
})

describe('who may change consent', () => {
  it.each<[ActorName, number]>([
    ['patient', 403],
    ['otherDoctor', 404],
    ['otherPatient', 404],
    ['anonymous', 401],
  ])('should refuse %s a scope change on PATCH (%i) and keep the stored consent', async (actor, status) => {
    const id = await newImage()
    const before = await recordOf(id)
    const res = await patch(id, { consentScopes: ['care', 'teaching', 'research'] }, actor)
    expect([res.status, await recordOf(id)]).toEqual([status, before])
  })

  it.each<ActorName>(['patient', 'otherDoctor'])('should refuse %s a scope change through GraphQL and keep the stored consent', async (actor) => {
    const id = await newImage()
    const before = await recordOf(id)
    const res = await api.graphql(`mutation { updateConsultationImage(id: ${id}, data: { consentScopes: [teaching] }) { id } }`, tokenOf(clinic, actor))
    const { errors } = (await res.json()) as { errors?: unknown[] }
    expect([errors?.length, await recordOf(id)]).toEqual([1, before])
  })

  it('should refuse a patient a scope change through the Local API on their behalf', async () => {
    const id = await newImage()
    const before = await recordOf(id)
    await expect(
      ctx.payload.update({ collection: 'consultation-images', data: { consentScopes: ['research'] }, id, overrideAccess: false, user: clinic.patient.user }),
    ).rejects.toMatchObject({ status: 403 })
    expect(await recordOf(id)).toEqual(before)
  })

  it('should let a patient read the consent of their own image', async () => {
    const id = await newImage(['care', 'teaching'])
    const res = await api.request('GET', `/consultation-images/${id}?depth=0`, { token: clinic.patient.token })
    const doc = (await res.json()) as Record
    expect([res.status, doc.consentScopes, doc.consentRecordedBy]).toEqual([200, ['care', 'teaching'], clinic.doctor.id])
  })
})

describe('the consent history in the audit trail', () => {
  const imageEvents = async (id: number) =>
    (
      await pool.query(
        `SELECT action, variant, "user" FROM audit_events WHERE document_collection = 'consultation-images' AND document_id = $1 AND action <> 'read' ORDER BY id`,
        [String(id)],
      )
    ).rows

  it('should name the scopes on the create and on every consent change, and nothing on other updates', async () => {
    const res = await api.request('POST', `/consultations/${clinic.consultations.own}/images`, { body: photoForm(jpeg, { consentScopes: ['teaching', 'care'] }), token: clinic.doctor.token })
    const { doc } = (await res.json()) as { doc: { id: number } }
    await patch(doc.id, { description: 'Re-check' })
    await patch(doc.id, { consentScopes: ['care'] }, 'admin')
    await patch(doc.id, { consentScopes: [] }, 'doctor')
    expect(await imageEvents(doc.id)).toEqual([
      { action: 'create', user: String(clinic.doctor.id), variant: 'consent:care+teaching' },
      { action: 'update', user: String(clinic.doctor.id), variant: null },
      { action: 'update', user: String(clinic.admin.id), variant: 'consent:care' },
      { action: 'update', user: String(clinic.doctor.id), variant: 'consent:' },
    ])
  })

  it('should name the scopes of a GraphQL consent change', async () => {
    const id = await newImage()
    await api.graphql(`mutation { updateConsultationImage(id: ${id}, data: { consentScopes: [care, second_opinion] }) { id } }`, clinic.doctor.token)
    expect((await imageEvents(id)).at(-1)).toEqual({ action: 'update', user: String(clinic.doctor.id), variant: 'consent:care+second-opinion' })
  })

  it('should record a refused consent change as denied, with no consent variant', async () => {
    const id = await newImage()
    const before = await imageEvents(id)
    await patch(id, { consentScopes: ['research'] }, 'patient')
    expect(await imageEvents(id)).toEqual([...before, { action: 'denied', user: String(clinic.patient.id), variant: null }])
  })
})
