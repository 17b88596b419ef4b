import type pg from 'pg'

import type { Clinic } from '../helpers/clinic.js'
import type { StoredImage } from '../helpers/hooks-fixtures.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { createConsultationAs, makeJpegWithExif, uploadBytesAs } from '../helpers/hooks-fixtures.js'
import { connectSql, countPrimaries } from '../helpers/hooks-sql.js'
import { makeJpeg } from '../helpers/images.js'
import { startClinic } from '../helpers/setup.js'

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let sql: pg.Client
/** One small JPEG, reused for every image these tests need. */
let jpeg: Buffer

beforeAll(async () => {
  ;({ api, clinic, ...ctx } = await startClinic('hooks'))
  sql = await connectSql()
  jpeg = await makeJpeg({ height: 360, seed: 5, width: 480 })
})

afterAll(async () => {
  await sql.end()
  await ctx.cleanup()
})

const newConsultation = (): Promise<number> => createConsultationAs(ctx.payload, clinic.doctor, clinic.patient)

const uploadAsDoctor = (consultation: number, extra: Record<string, unknown> = {}): Promise<StoredImage> =>
  uploadBytesAs(ctx.payload, clinic.doctor, consultation, jpeg, extra)

/** The stored flag, read by the system (not on anyone's behalf). */
const imagesTaken = async (consultation: number): Promise<boolean | null | undefined> => {
  const doc = await ctx.payload.findByID({
    collection: 'consultations',
    depth: 0,
    id: consultation,
    overrideAccess: true,
  })
  return (doc as { imagesTaken?: boolean | null }).imagesTaken
}

/** IDs of a consultation's primary images, read by the system through the Local API. */
const primaryIdsOf = async (consultation: number): Promise<number[]> => {
  const { docs } = await ctx.payload.find({
    collection: 'consultation-images',
    depth: 0,
    limit: 100,
    overrideAccess: true,
    where: {
      and: [{ consultation: { equals: consultation } }, { isPrimary: { equals: true } }],
    },
  })
  return docs.map((doc) => doc.id)
}

const readImage = async (id: number): Promise<Record<string, unknown>> =>
  (await ctx.payload.findByID({
    collection: 'consultation-images',
    depth: 0,
    id,
    overrideAccess: true,
  })) as unknown as Record<string, unknown>

const patchImage = (id: number, body: Record<string, unknown>, token = clinic.doctor.token): Promise<Response> =>
  api.request('PATCH', `/consultation-images/${id}`, { body, token })

describe('imagesTaken', () => {
  it('should be false on a new consultation', async () => {
    const consultation = await newConsultation()
    expect(await imagesTaken(consultation)).toBe(false)
  })

  it('should become true with the consultation’s first image', async () => {
    const consultation = await newConsultation()
    await uploadAsDoctor(consultation)
    expect(await imagesTaken(consultation)).toBe(true)
  })

  it('should stay true while images remain', async () => {
    const consultation = await newConsultation()
    const first = await uploadAsDoctor(consultation)
    await uploadAsDoctor(consultation)
    const res = await api.request('DELETE', `/consultation-images/${first.id}`, { token: clinic.doctor.token })
    expect([res.status, await imagesTaken(consultation)]).toEqual([200, true])
  })

  it('should become false when the doctor deletes the last image over REST', async () => {
    const consultation = await newConsultation()
    const only = await uploadAsDoctor(consultation)
    const res = await api.request('DELETE', `/consultation-images/${only.id}`, {
      token: clinic.doctor.token,
    })
    expect([res.status, await imagesTaken(consultation)]).toEqual([200, false])
  })

  it('should become false when the doctor deletes the last image through the Local API', async () => {
    const consultation = await newConsultation()
    const only = await uploadAsDoctor(consultation)
    await ctx.payload.delete({
      collection: 'consultation-images',
      id: only.id,
      overrideAccess: false,
      user: clinic.doctor.user,
    })
    expect(await imagesTaken(consultation)).toBe(false)
  })
})

describe('the primary image', () => {
  it('should be the consultation’s first image', async () => {
    const consultation = await newConsultation()
    const first = await uploadAsDoctor(consultation)
    expect(await primaryIdsOf(consultation)).toEqual([first.id])
  })

  it('should not move to a second image', async () => {
    const consultation = await newConsultation()
    const first = await uploadAsDoctor(consultation)
    const second = await uploadAsDoctor(consultation)
    expect([second.isPrimary, await primaryIdsOf(consultation)]).toEqual([false, [first.id]])
  })

  it('should move to a second image uploaded with isPrimary true, clearing the first', async () => {
    const consultation = await newConsultation()
    await uploadAsDoctor(consultation)
    const second = await uploadAsDoctor(consultation, { isPrimary: true })
    expect(await primaryIdsOf(consultation)).toEqual([second.id])
  })

  it('should move to another image made primary over REST, clearing the others', async () => {
    const consultation = await newConsultation()
    await uploadAsDoctor(consultation)
    await uploadAsDoctor(consultation)
    const third = await uploadAsDoctor(consultation)
    const res = await patchImage(third.id, { isPrimary: true })
    expect([res.status, await primaryIdsOf(consultation)]).toEqual([200, [third.id]])
  })

  it('should refuse unsetting the only primary with a 400 and a message', async () => {
    const consultation = await newConsultation()
    const only = await uploadAsDoctor(consultation)
    const res = await patchImage(only.id, { isPrimary: false })
    const body = await res.json()
    expect([res.status, body.errors[0].data.errors]).toEqual([
      400,
      [
        {
          message: 'A consultation keeps one primary image: make another image primary instead.',
          path: 'isPrimary',
        },
      ],
    ])
  })

  it('should keep the primary when unsetting it is refused', async () => {
    const consultation = await newConsultation()
    const only = await uploadAsDoctor(consultation)
    await patchImage(only.id, { isPrimary: false })
    expect(await primaryIdsOf(consultation)).toEqual([only.id])
  })

  it('should pass to another image when the primary is deleted, leaving exactly one', async () => {
    const consultation = await newConsultation()
    const first = await uploadAsDoctor(consultation)
    const second = await uploadAsDoctor(consultation)
    const third = await uploadAsDoctor(consultation)
    const res = await api.request('DELETE', `/consultation-images/${first.id}`, { token: clinic.doctor.token })
    const primaries = await primaryIdsOf(consultation)
    expect([res.status, primaries.length]).toEqual([200, 1])
    expect([second.id, third.id]).toContain(primaries[0])
  })
})

describe('the one-primary index', () => {
  it('should refuse a direct SQL update making a second image primary with a unique violation', async () => {
    const consultation = await newConsultation()
    await uploadAsDoctor(consultation)
    const second = await uploadAsDoctor(consultation)
    await expect(
      sql.query('UPDATE consultation_images SET is_primary = true WHERE id = $1', [second.id]),
    ).rejects.toMatchObject({
      code: '23505',
      constraint: 'consultation_images_one_primary_idx',
    })
  })
})

describe('an admin moving the primary image of a consultation with two images into one with an image', () => {
  let from: number
  let to: number
  let moved: StoredImage
  let remaining: StoredImage
  let destinationPrimary: StoredImage
  let status: number

  beforeAll(async () => {
    from = await newConsultation()
    to = await createConsultationAs(ctx.payload, clinic.otherDoctor, clinic.otherPatient)
    moved = await uploadAsDoctor(from)
    remaining = await uploadAsDoctor(from)
    destinationPrimary = await uploadBytesAs(ctx.payload, clinic.otherDoctor, to, jpeg)
    status = (await patchImage(moved.id, { consultation: to }, clinic.admin.token)).status
  })

  it('should answer 200', () => {
    expect(status).toBe(200)
  })

  it('should give the source consultation its remaining image as its one primary', async () => {
    expect([await countPrimaries(sql, from), await primaryIdsOf(from)]).toEqual([1, [remaining.id]])
  })

  it('should keep the destination’s own primary as its one primary', async () => {
    expect([await countPrimaries(sql, to), await primaryIdsOf(to)]).toEqual([1, [destinationPrimary.id]])
  })

  it('should keep imagesTaken true on both consultations', async () => {
    expect([await imagesTaken(from), await imagesTaken(to)]).toEqual([true, true])
  })
})

describe('an admin moving the only image of a consultation into an empty one', () => {
  let from: number
  let to: number
  let moved: StoredImage
  let status: number

  beforeAll(async () => {
    from = await newConsultation()
    to = await createConsultationAs(ctx.payload, clinic.otherDoctor, clinic.otherPatient)
    moved = await uploadAsDoctor(from)
    status = (await patchImage(moved.id, { consultation: to }, clinic.admin.token)).status
  })

  it('should answer 200', () => {
    expect(status).toBe(200)
  })

  it('should clear imagesTaken on the source consultation', async () => {
    expect(await imagesTaken(from)).toBe(false)
  })

  it('should leave no primary image in the source consultation', async () => {
    expect(await countPrimaries(sql, from)).toBe(0)
  })

  it('should set imagesTaken on the destination consultation', async () => {
    expect(await imagesTaken(to)).toBe(true)
  })

  it('should make the moved image the destination’s one primary', async () => {
    expect([await countPrimaries(sql, to), await primaryIdsOf(to)]).toEqual([1, [moved.id]])
  })
})

describe('server-computed fields', () => {
  const serverFields = (doc: Record<string, unknown>) => ({
    cameraModel: doc.cameraModel,
    capturedAt: doc.capturedAt,
    originalFilename: doc.originalFilename,
  })

  let image: StoredImage

  beforeAll(async () => {
    const consultation = await newConsultation()
    image = await uploadBytesAs(ctx.payload, clinic.doctor, consultation, await makeJpegWithExif())
  })

  it('should be read from the uploaded file', async () => {
    expect(serverFields(await readImage(image.id))).toEqual({
      cameraModel: 'Canon EOS R6',
      capturedAt: expect.stringMatching(/^2025-03-1[345]T/),
      originalFilename: 'lesion.jpg',
    })
  })

  it('should ignore capturedAt, cameraModel and originalFilename sent in a PATCH', async () => {
    const before = serverFields(await readImage(image.id))
    const res = await patchImage(image.id, {
      cameraModel: 'Forged Camera',
      capturedAt: '2001-01-01T00:00:00.000Z',
      description: 'edited with forged server fields',
      originalFilename: 'forged.jpg',
    })
    expect([res.status, serverFields(await readImage(image.id))]).toEqual([200, before])
  })
})

describe('20 concurrent “set primary” calls on one consultation', () => {
  let consultation: number
  let statuses: number[]

  beforeAll(async () => {
    consultation = await newConsultation()
    const images: StoredImage[] = []
    for (let n = 0; n < 21; n += 1) {
      images.push(await uploadAsDoctor(consultation))
    }
    // The first image is primary already; each call makes one of the 20 others primary.
    const responses = await Promise.all(images.slice(1).map((image) => patchImage(image.id, { isPrimary: true })))
    statuses = responses.map((res) => res.status)
  }, 30_000)

  it('should answer every call with 200', () => {
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200))
  })

  it('should leave exactly one primary row in the table', async () => {
    expect(await countPrimaries(sql, consultation)).toBe(1)
  })

  it('should leave exactly one primary image through the Local API', async () => {
    expect((await primaryIdsOf(consultation)).length).toBe(1)
  })
})

describe('10 concurrent PATCHes of one image, three of them each the only writer of a field', () => {
  const descriptions = Array.from({ length: 7 }, (_, n) => `note ${String(n)}`)
  let statuses: number[]
  let stored: Record<string, unknown>

  beforeAll(async () => {
    const image = await uploadAsDoctor(await newConsultation(), { acquisition: 'other', description: 'first note' })
    const responses = await Promise.all([
      patchImage(image.id, { acquisition: 'dermoscopic' }),
      patchImage(image.id, { bodySite: 'nose' }),
      patchImage(image.id, { laterality: 'left' }),
      ...descriptions.map((description) => patchImage(image.id, { description })),
    ])
    statuses = responses.map((res) => res.status)
    stored = await readImage(image.id)
  })

  it('should answer every PATCH with 200', () => {
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 200))
  })

  it('should lose none of the fields only one PATCH changed', () => {
    expect({ acquisition: stored.acquisition, bodySite: stored.bodySite, laterality: stored.laterality }).toEqual({
      acquisition: 'dermoscopic',
      bodySite: 'nose',
      laterality: 'left',
    })
  })

  it('should keep one of the contended descriptions', () => {
    expect(descriptions).toContain(stored.description)
  })
})
