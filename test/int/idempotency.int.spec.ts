import type pg from 'pg'

import type { ClinicContext } from '../helpers/setup.js'

import { connectSql } from '../helpers/hooks-sql.js'
import { makeJpeg } from '../helpers/images.js'
import { listUploads } from '../helpers/payload.js'
import { photoForm, startClinic } from '../helpers/setup.js'

type Answer = { body: { doc?: Record<string, unknown>; errors?: { message: string }[] }; status: number }

let ctx: ClinicContext
let sql: pg.Client
let photo: Buffer
let otherPhoto: Buffer

beforeAll(async () => {
  ctx = await startClinic('idempotency')
  sql = await connectSql()
  photo = await makeJpeg({ height: 600, seed: 21, width: 800 })
  otherPhoto = await makeJpeg({ height: 600, seed: 22, width: 800 })
})

afterAll(async () => {
  await sql.end()
  await ctx.cleanup()
})

const upload = async (
  key: string,
  { actor = ctx.clinic.doctor, bytes = photo, consultation = ctx.clinic.consultations.own, metadata = { bodySite: 'cheek' } } = {},
): Promise<Answer> => {
  const res = await ctx.api.request('POST', `/consultations/${consultation}/images`, {
    body: photoForm(bytes, metadata),
    headers: { 'Idempotency-Key': key },
    token: (actor).token,
  })
  return { body: (await res.json()) as Answer['body'], status: res.status }
}

const rowCount = async (): Promise<number> => Number((await sql.query('SELECT count(*) AS n FROM consultation_images')).rows[0]?.n)

describe('a retried upload with the same Idempotency-Key', () => {
  let first: Answer
  let retry: Answer
  let rowsAdded: number

  beforeAll(async () => {
    const rows = await rowCount()
    first = await upload('7f1c0b7e-retry')
    retry = await upload('7f1c0b7e-retry')
    rowsAdded = (await rowCount()) - rows
  })

  it('should store the first one (201) and answer the retry 200 with the same image', () => {
    expect({ first: first.status, retry: retry.status, same: retry.body.doc }).toEqual({ first: 201, retry: 200, same: first.body.doc })
  })

  it('should store one image, not two', () => {
    expect(rowsAdded).toBe(1)
  })

  it('should keep only digests of the key, never the key itself, and not show them', async () => {
    const { rows } = await sql.query('SELECT idempotency_key, idempotency_fingerprint FROM consultation_images WHERE id = $1', [first.body.doc?.id])
    expect({ response: Object.keys(first.body.doc ?? {}).filter((key) => key.startsWith('idempotency')), rows }).toEqual({
      response: [],
      rows: [{ idempotency_fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/), idempotency_key: expect.stringMatching(/^[0-9a-f]{64}$/) }],
    })
  })
})

describe('eight concurrent duplicates with one Idempotency-Key', () => {
  let answers: Answer[]
  let rowsAdded: number
  let filesAdded: number

  beforeAll(async () => {
    const rows = await rowCount()
    const files = (await listUploads(ctx.uploadsDir)).length
    answers = await Promise.all(Array.from({ length: 8 }, () => upload('c0ffee00-concurrent')))
    rowsAdded = (await rowCount()) - rows
    filesAdded = (await listUploads(ctx.uploadsDir)).length - files
  })

  it('should answer one 201 and seven 200, all with the same image', () => {
    const ids = new Set(answers.map((answer) => answer.body.doc?.id))
    expect({ ids: ids.size, statuses: answers.map((answer) => answer.status).sort() }).toEqual({ ids: 1, statuses: [200, 200, 200, 200, 200, 200, 200, 201] })
  })

  it('should store one row and its three files: the losers’ files are removed', () => {
    expect({ filesAdded, rowsAdded }).toEqual({ filesAdded: 3, rowsAdded: 1 })
  })
})

describe('the same Idempotency-Key with a different request', () => {
  let rows: number
  let files: string[]
  let answers: Answer[]

  beforeAll(async () => {
    expect((await upload('5a5a-different')).status).toBe(201)
    rows = await rowCount()
    files = await listUploads(ctx.uploadsDir)
    answers = [
      await upload('5a5a-different', { bytes: otherPhoto }),
      await upload('5a5a-different', { metadata: { bodySite: 'nose' } }),
    ]
  })

  it('should answer 422 with a message, for another photo or other metadata', () => {
    const refused = { body: { errors: [{ message: 'This Idempotency-Key was already used for a different upload; use a new key for a new photo.' }] }, status: 422 }
    expect(answers).toEqual([refused, refused])
  })

  it('should store nothing', async () => {
    expect({ files: await listUploads(ctx.uploadsDir), rows: await rowCount() }).toEqual({ files, rows })
  })
})

describe('Idempotency-Key scope and syntax', () => {
  it('should keep one user’s key apart from another’s', async () => {
    const mine = await upload('shared-key-1')
    const theirs = await upload('shared-key-1', { actor: ctx.clinic.otherDoctor, consultation: ctx.clinic.consultations.other })
    expect([mine.status, theirs.status]).toEqual([201, 201])
  })

  it('should answer 400 to a key that is empty or not printable ASCII', async () => {
    const answers = [await upload(''), await upload('clé-é')]
    expect(answers.map((answer) => answer.status)).toEqual([400, 400])
  })
})
