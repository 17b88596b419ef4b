import type pg from 'pg'

import type { Clinic } from '../helpers/clinic.js'
import type { StoredImage } from '../helpers/hooks-fixtures.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { createConsultationAs, uploadBytesAs } from '../helpers/hooks-fixtures.js'
import { connectSql } from '../helpers/hooks-sql.js'
import { makeJpeg } from '../helpers/images.js'
import { startClinic } from '../helpers/setup.js'

/**
 * Payload's bulk update (`PATCH /api/consultation-images?where=…`) reads every matching image and
 * then writes each one back whole, like the by-ID PATCH: without a lock, two concurrent bulk
 * PATCHes of different fields (or a bulk and a by-ID PATCH) each write the other's field back as
 * it was before.
 */
let ctx: TestContext
let clinic: Clinic
let api: RestClient
let sql: pg.Client
let jpeg: Buffer

beforeAll(async () => {
  ;({ api, clinic, ...ctx } = await startClinic('bulkupdate'))
  sql = await connectSql()
  jpeg = await makeJpeg({ height: 240, seed: 9, width: 320 })
})

afterAll(async () => {
  await sql.end()
  await ctx.cleanup()
})

type Bulk = { docs?: unknown[]; errors?: unknown[] }
type Answer = { body: Bulk; status: number }

const newConsultation = (): Promise<number> => createConsultationAs(ctx.payload, clinic.doctor, clinic.patient)

const uploadImages = async (consultation: number, count: number): Promise<StoredImage[]> => {
  const images: StoredImage[] = []
  for (let n = 0; n < count; n += 1) {
    images.push(await uploadBytesAs(ctx.payload, clinic.doctor, consultation, jpeg, { acquisition: 'other' }))
  }
  return images
}

/** `where[consultation][equals]=…` or `where[id][in][0]=…&…` */
const byConsultation = (consultation: number): string => new URLSearchParams({ 'where[consultation][equals]': String(consultation) }).toString()
const byIds = (ids: number[]): string => new URLSearchParams(ids.map((id, n) => [`where[id][in][${String(n)}]`, String(id)])).toString()

const answer = async (res: Promise<Response>): Promise<Answer> => {
  const done = await res
  return { body: (await done.json()) as Bulk, status: done.status }
}

const bulkPatch = (query: string, body: Record<string, unknown>, token = clinic.doctor.token): Promise<Answer> =>
  answer(api.request('PATCH', `/consultation-images?${query}`, { body, token }))

const patchById = (id: number, body: Record<string, unknown>): Promise<Answer> =>
  answer(api.request('PATCH', `/consultation-images/${String(id)}`, { body, token: clinic.doctor.token }))

/** The stored columns, as they are in the table. */
const rowsOf = async (ids: number[]) =>
  (
    await sql.query<{ acquisition: string; body_site: null | string; description: null | string; id: number; laterality: null | string }>(
      'SELECT id, acquisition, body_site, laterality, description FROM consultation_images WHERE id = ANY($1) ORDER BY id',
      [ids],
    )
  ).rows

describe('concurrent bulk PATCHes of different fields, and by-ID PATCHes, of one consultation’s images', () => {
  const rounds = 4
  const results: { answers: Answer[]; ids: number[]; rows: Awaited<ReturnType<typeof rowsOf>> }[] = []

  beforeAll(async () => {
    for (let round = 0; round < rounds; round += 1) {
      const consultation = await newConsultation()
      const ids = (await uploadImages(consultation, 3)).map((image) => image.id)
      const answers = await Promise.all([
        bulkPatch(byConsultation(consultation), { acquisition: 'dermoscopic' }),
        bulkPatch(byIds(ids), { bodySite: 'nose' }),
        bulkPatch(byConsultation(consultation), { laterality: 'left' }),
        ...ids.map((id) => patchById(id, { description: `note ${String(id)}` })),
      ])
      results.push({ answers, ids, rows: await rowsOf(ids) })
    }
  }, 60_000)

  it('should answer every PATCH with 200 and no per-document error', () => {
    expect(results.flatMap(({ answers }) => answers.map(({ body, status }) => ({ errors: body.errors ?? [], status })))).toEqual(
      Array.from({ length: rounds * 6 }, () => ({ errors: [], status: 200 })),
    )
  })

  it('should lose no field: each was changed by one PATCH only', () => {
    expect(results.flatMap(({ rows }) => rows)).toEqual(
      results.flatMap(({ ids }) =>
        ids.map((id) => ({ acquisition: 'dermoscopic', body_site: 'nose', description: `note ${String(id)}`, id, laterality: 'left' })),
      ),
    )
  })
})

describe('two concurrent bulk PATCHes over the images of two consultations, listed in opposite orders', () => {
  let answers: Answer[]
  let rows: Awaited<ReturnType<typeof rowsOf>>
  let ids: number[]

  beforeAll(async () => {
    const [first, second] = [await newConsultation(), await newConsultation()]
    const a = (await uploadImages(first, 2)).map((image) => image.id)
    const b = (await uploadImages(second, 2)).map((image) => image.id)
    ids = [...a, ...b]
    answers = await Promise.all([
      bulkPatch(byIds([...a, ...b]), { bodySite: 'scalp' }),
      bulkPatch(byIds([...b, ...a]), { laterality: 'right' }),
      bulkPatch(byIds([b[1] as number, a[0] as number]), { description: 'both' }),
    ])
    rows = await rowsOf(ids)
  }, 30_000)

  it('should answer both with 200 (the locks are taken in one order: no deadlock)', () => {
    expect(answers.map(({ body, status }) => ({ errors: body.errors ?? [], status }))).toEqual(Array.from({ length: 3 }, () => ({ errors: [], status: 200 })))
  })

  it('should keep every field of both', () => {
    expect(rows.map(({ body_site, laterality }) => ({ body_site, laterality }))).toEqual(ids.map(() => ({ body_site: 'scalp', laterality: 'right' })))
  })
})

describe('a bulk PATCH whose where matches nothing the user may change', () => {
  it('should answer as Payload does and change nothing', async () => {
    const consultation = await newConsultation()
    const [image] = await uploadImages(consultation, 1)
    const res = await bulkPatch(byIds([(image as StoredImage).id]), { description: 'not mine' }, clinic.otherDoctor.token)
    expect({ docs: res.body.docs, rows: (await rowsOf([(image as StoredImage).id])).map((row) => row.description) }).toEqual({ docs: [], rows: [null] })
  })

  it('should refuse a where on an unknown field with a 400, not a database error', async () => {
    const res = await bulkPatch(new URLSearchParams({ 'where[nope][equals]': '1' }).toString(), { description: 'x' })
    expect(res.status).toBe(400)
  })
})
