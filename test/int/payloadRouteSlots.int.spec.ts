import type pg from 'pg'

import type { ClinicContext } from '../helpers/setup.js'

import { defaultMaxConcurrentUploads } from '../../src/defaults.js'
import { injectHook } from '../helpers/faults.js'
import { connectSql } from '../helpers/hooks-sql.js'
import { makeJpeg } from '../helpers/images.js'
import { listUploads } from '../helpers/payload.js'
import { photoForm, startClinic } from '../helpers/setup.js'

/**
 * Payload's own `POST /api/consultation-images` (the admin's create and bulk upload) stores in the
 * same `maxConcurrentUploads` slots as the plugin's per-consultation endpoint: each create holds a
 * pooled connection for its whole transaction, image processing included, so an unbounded burst
 * takes the pool (20 connections in the demo config).
 */
let ctx: ClinicContext
let sql: pg.Client
let photo: Buffer
/** The demo config leaves `maxConcurrentUploads` at its default. */
const slots = defaultMaxConcurrentUploads()

beforeAll(async () => {
  ctx = await startClinic('payload_route_slots')
  sql = await connectSql()
  photo = await makeJpeg({ height: 1200, seed: 4, width: 1600 })
})

afterAll(async () => {
  await sql.end()
  await ctx.cleanup()
})

const sessions = (): number => Object.keys((ctx.payload.db as unknown as { sessions?: Record<string, unknown> }).sessions ?? {}).length

/**
 * Runs `burst` while counting the creates between their `beforeOperation` (after the plugin's
 * ingest) and their `afterOperation`, and the adapter's open transactions at each of those points.
 */
const measure = async (burst: () => Promise<Response[]>) => {
  let inFlight = 0
  let maxInFlight = 0
  let maxTransactions = 0
  const enter = injectHook(ctx.payload, 'consultation-images', 'beforeOperation', (({ args, operation }: { args: unknown; operation: string }) => {
    if (operation === 'create') {
      inFlight += 1
      maxInFlight = Math.max(maxInFlight, inFlight)
      maxTransactions = Math.max(maxTransactions, sessions())
    }
    return args
  }) as never)
  const leave = injectHook(ctx.payload, 'consultation-images', 'afterOperation', (({ operation, result }: { operation: string; result: unknown }) => {
    if (operation === 'create') {
      maxTransactions = Math.max(maxTransactions, sessions())
      inFlight -= 1
    }
    return result
  }) as never)
  try {
    const responses = await burst()
    return { maxInFlight, maxTransactions, statuses: responses.map((res) => res.status) }
  } finally {
    enter()
    leave()
  }
}

const viaPayload = () =>
  ctx.api.request('POST', '/consultation-images', {
    body: photoForm(photo, { acquisition: 'clinical-overview', consultation: ctx.clinic.consultations.own }),
    token: ctx.clinic.doctor.token,
  })

const viaPlugin = () =>
  ctx.api.request('POST', `/consultations/${String(ctx.clinic.consultations.own)}/images`, {
    body: photoForm(photo, { acquisition: 'clinical-overview' }),
    token: ctx.clinic.doctor.token,
  })

const imageRows = async (): Promise<number> => (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM consultation_images')).rows[0]?.n ?? 0

describe(`a burst of ${String(4 * slots)} uploads through Payload’s POST /api/consultation-images`, () => {
  let result: Awaited<ReturnType<typeof measure>>
  let rowsBefore: number
  let filesBefore: number

  beforeAll(async () => {
    rowsBefore = await imageRows()
    filesBefore = (await listUploads(ctx.uploadsDir)).length
    result = await measure(() => Promise.all(Array.from({ length: 4 * slots }, viaPayload)))
  }, 120_000)

  it('should store every one (201)', () => {
    expect(result.statuses).toEqual(Array.from({ length: 4 * slots }, () => 201))
  })

  it(`should never hold more than maxConcurrentUploads (${String(slots)}) creates or transactions at once`, () => {
    expect({ inFlight: result.maxInFlight <= slots, transactions: result.maxTransactions <= slots }).toEqual({ inFlight: true, transactions: true })
  })

  it('should have used the slots (more than one at a time)', () => {
    expect(result.maxInFlight).toBeGreaterThan(1)
  })

  it('should leave one row and three files per upload', async () => {
    expect({ files: (await listUploads(ctx.uploadsDir)).length - filesBefore, rows: (await imageRows()) - rowsBefore }).toEqual({ files: 3 * 4 * slots, rows: 4 * slots })
  })
})

describe('a burst on both upload routes at once', () => {
  let result: Awaited<ReturnType<typeof measure>>

  beforeAll(async () => {
    result = await measure(() => Promise.all(Array.from({ length: 4 * slots }, (_, n) => (n % 2 === 0 ? viaPayload() : viaPlugin()))))
  }, 120_000)

  it('should store every one', () => {
    expect(result.statuses.every((status) => status === 201)).toBe(true)
  })

  it('should share one set of slots: never more than maxConcurrentUploads at once in all', () => {
    expect(result.maxInFlight).toBeLessThanOrEqual(slots)
  })
})

describe(`a burst of ${String(4 * slots)} Local API creates with a file (an app's import script)`, () => {
  let result: Awaited<ReturnType<typeof measure>>
  let rowsBefore: number

  beforeAll(async () => {
    rowsBefore = await imageRows()
    result = await measure(() =>
      Promise.all(
        Array.from({ length: 4 * slots }, async () => {
          await ctx.payload.create({
            collection: 'consultation-images',
            data: { acquisition: 'clinical-overview', consultation: ctx.clinic.consultations.own } as never,
            file: { data: photo, mimetype: 'image/jpeg', name: 'import.jpg', size: photo.length },
            overrideAccess: false,
            user: ctx.clinic.doctor.user,
          })
          return new Response(null, { status: 201 })
        }),
      ),
    )
  }, 120_000)

  it('should store every one', async () => {
    expect({ rows: (await imageRows()) - rowsBefore, statuses: result.statuses.every((status) => status === 201) }).toEqual({ rows: 4 * slots, statuses: true })
  })

  it(`should hold at most maxConcurrentUploads (${String(slots)}) creates or transactions at once, several at a time`, () => {
    expect({ inFlight: result.maxInFlight <= slots, parallel: result.maxInFlight > 1, transactions: result.maxTransactions <= slots }).toEqual({
      inFlight: true,
      parallel: true,
      transactions: true,
    })
  })
})

describe('Payload’s create route, as before, for what the guard does not stop', () => {
  it('should still answer a bad body with Payload’s own 400, taking no slot for good', async () => {
    const form = new FormData()
    form.append('_payload', JSON.stringify({ consultation: ctx.clinic.consultations.own }))
    const res = await ctx.api.request('POST', '/consultation-images', { body: form, token: ctx.clinic.doctor.token })
    expect(res.status).toBe(400)
    // The slots are free again: a burst of `slots` is stored at once.
    const after = await measure(() => Promise.all(Array.from({ length: slots }, viaPayload)))
    expect(after.statuses).toEqual(Array.from({ length: slots }, () => 201))
  }, 60_000)
})
