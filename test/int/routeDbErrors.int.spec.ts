import type pg from 'pg'

import { jest } from '@jest/globals'

import type { ClinicContext } from '../helpers/setup.js'

import { backendPidOf, injectHook, terminateBackend } from '../helpers/faults.js'
import { connectSql } from '../helpers/hooks-sql.js'
import { makeJpeg } from '../helpers/images.js'
import { listUploads } from '../helpers/payload.js'
import { photoForm, startClinic } from '../helpers/setup.js'

/**
 * Payload's own REST routes (not the plugin's endpoints) log the error a request ended with before
 * any hook runs; a Drizzle query error carries the SQL's parameters (descriptions, file names,
 * IDs) in its message and properties, and PostgreSQL's `detail` of a check violation every value
 * of the row. Each case forces a real database failure through Payload's route and reads what the
 * logger was given, errors and their causes included.
 */
let ctx: ClinicContext
let sql: pg.Client
let photo: Buffer

/** Patient data that the failing queries carry as parameters. */
const secret = 'Jeanne Dupont, naevus left scapula'
const secretFilename = 'dupont-jeanne-1957.jpg'

beforeAll(async () => {
  ctx = await startClinic('route_db_errors')
  sql = await connectSql()
  photo = await makeJpeg({ height: 300, seed: 12, width: 400 })
  // A constraint the application does not know: its violation is a plain database error (23514).
  await sql.query(`ALTER TABLE consultation_images ADD CONSTRAINT test_no_names CHECK (description IS NULL OR description NOT LIKE '%Dupont%')`)
  // The same on the host's own auth collection: a patient's account name.
  await sql.query(`ALTER TABLE users ADD CONSTRAINT test_no_user_names CHECK (name NOT LIKE '%Dupont%')`)
})

afterAll(async () => {
  await sql.end()
  await ctx.cleanup()
})

/** Everything an error shows when logged: message, stack, own properties, causes. */
const unfold = (value: unknown, seen = new Set<unknown>()): unknown => {
  if (value === null || typeof value !== 'object' || seen.has(value)) {
    return value
  }
  seen.add(value)
  if (value instanceof Error) {
    return {
      cause: unfold(value.cause, seen),
      message: value.message,
      stack: value.stack,
      ...Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, unfold(entry, seen)])),
    }
  }
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, unfold(entry, seen)]))
}

/** Runs `send`, capturing every call to the logger's error and warn methods. */
const capturingLogs = async (send: () => Promise<Response>) => {
  const spies = [jest.spyOn(ctx.payload.logger, 'error'), jest.spyOn(ctx.payload.logger, 'warn')]
  try {
    const res = await send()
    return { body: (await res.json()) as unknown, logged: JSON.stringify(spies.flatMap((spy) => spy.mock.calls.map((call) => unfold(call)))), status: res.status }
  } finally {
    spies.forEach((spy) => { spy.mockRestore(); })
  }
}

const newImage = async (): Promise<number> => {
  const res = await ctx.api.request('POST', `/consultations/${String(ctx.clinic.consultations.own)}/images`, {
    body: photoForm(photo, { acquisition: 'clinical-overview' }),
    token: ctx.clinic.doctor.token,
  })
  return ((await res.json()) as { doc: { id: number } }).doc.id
}

const serverError = { errors: [{ message: 'Something went wrong.' }] }

describe('PATCH /api/consultation-images/:id failing on a check constraint', () => {
  let result: Awaited<ReturnType<typeof capturingLogs>>
  let id: number

  beforeAll(async () => {
    id = await newImage()
    result = await capturingLogs(() =>
      ctx.api.request('PATCH', `/consultation-images/${String(id)}`, { body: { description: secret }, token: ctx.clinic.doctor.token }),
    )
  })

  it('should answer 500 with Payload’s message only', () => {
    expect({ body: result.body, status: result.status }).toEqual({ body: serverError, status: 500 })
  })

  it('should log the database error (its code and constraint)', () => {
    expect({ code: result.logged.includes('23514'), constraint: result.logged.includes('test_no_names') }).toEqual({ code: true, constraint: true })
  })

  it('should log none of the query’s parameters, nor the failing row', () => {
    expect({ failingRow: result.logged.includes('Failing row'), name: result.logged.includes('Dupont'), sql: result.logged.includes('update "consultation_images"') }).toEqual({
      failingRow: false,
      name: false,
      sql: false,
    })
  })

  it('should leave the image as it was', async () => {
    expect((await sql.query('SELECT description FROM consultation_images WHERE id = $1', [id])).rows).toEqual([{ description: null }])
  })
})

describe('POST /api/consultation-images (Payload’s create route) failing on the constraint', () => {
  let result: Awaited<ReturnType<typeof capturingLogs>>
  let before: { files: string[]; rows: number }

  const leftovers = async () => ({
    files: await listUploads(ctx.uploadsDir),
    rows: Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM consultation_images')).rows[0]?.n),
  })

  beforeAll(async () => {
    before = await leftovers()
    result = await capturingLogs(() =>
      ctx.api.request('POST', '/consultation-images', {
        body: photoForm(photo, { consultation: ctx.clinic.consultations.own, description: secret }, secretFilename),
        token: ctx.clinic.doctor.token,
      }),
    )
  })

  it('should answer 500 and log the error without the description or the file name', () => {
    expect({
      code: result.logged.includes('23514'),
      filename: result.logged.includes('dupont-jeanne'),
      name: result.logged.includes('Dupont'),
      status: result.status,
    }).toEqual({ code: true, filename: false, name: false, status: 500 })
  })

  it('should leave no row and no file', async () => {
    expect(await leftovers()).toEqual(before)
  })
})

describe('PATCH through Payload’s route whose database connection is killed mid-request', () => {
  let result: Awaited<ReturnType<typeof capturingLogs>>

  beforeAll(async () => {
    const id = await newImage()
    const remove = injectHook(ctx.payload, 'consultation-images', 'beforeChange', async ({ req }) => {
      await terminateBackend(sql, await backendPidOf(req))
    })
    try {
      result = await capturingLogs(() =>
        ctx.api.request('PATCH', `/consultation-images/${String(id)}`, { body: { description: 'Mme Martin, second visit' }, token: ctx.clinic.doctor.token }),
      )
    } finally {
      remove()
    }
  })

  it('should answer 500 with Payload’s message only', () => {
    expect({ body: result.body, status: result.status }).toEqual({ body: serverError, status: 500 })
  })

  it('should log the failure without the description it was writing', () => {
    expect({ logged: result.logged.length > 2, martin: result.logged.includes('Martin'), params: result.logged.includes('params:') }).toEqual({
      logged: true,
      martin: false,
      params: false,
    })
  })
})

describe('the host’s own collection (users) failing on a check constraint through Payload’s route', () => {
  let result: Awaited<ReturnType<typeof capturingLogs>>

  beforeAll(async () => {
    result = await capturingLogs(() =>
      ctx.api.request('PATCH', `/users/${String(ctx.clinic.patient.id)}`, { body: { name: secret }, token: ctx.clinic.admin.token }),
    )
  })

  it('should answer 500 with Payload’s message only', () => {
    expect({ body: result.body, status: result.status }).toEqual({ body: serverError, status: 500 })
  })

  it('should log the database error without the patient’s name or the SQL', () => {
    expect({
      constraint: result.logged.includes('test_no_user_names'),
      failingRow: result.logged.includes('Failing row'),
      name: result.logged.includes('Dupont'),
      sql: result.logged.includes('update "users"'),
    }).toEqual({ constraint: true, failingRow: false, name: false, sql: false })
  })
})

describe('a GraphQL mutation failing on the constraint', () => {
  let logged: string
  let response: { data?: unknown; errors?: { message: string }[] }

  beforeAll(async () => {
    const id = await newImage()
    const spies = [jest.spyOn(ctx.payload.logger, 'error'), jest.spyOn(ctx.payload.logger, 'warn')]
    try {
      const res = await ctx.api.graphql(
        'mutation ($id: Int!, $description: String) { updateConsultationImage(id: $id, data: { description: $description }) { id } }',
        ctx.clinic.doctor.token,
        { description: secret, id },
      )
      response = (await res.json()) as typeof response
      logged = JSON.stringify(spies.flatMap((spy) => spy.mock.calls.map((call) => unfold(call))))
    } finally {
      spies.forEach((spy) => { spy.mockRestore(); })
    }
  })

  it('should answer Payload’s message only', () => {
    expect(response.errors?.map((error) => error.message)).toEqual(['Something went wrong.'])
  })

  it('should log the database error without the description or the SQL', () => {
    expect({
      constraint: logged.includes('test_no_names'),
      failingRow: logged.includes('Failing row'),
      name: logged.includes('Dupont'),
      sql: logged.includes('update "consultation_images"'),
    }).toEqual({ constraint: true, failingRow: false, name: false, sql: false })
  })
})

describe('a Local API call failing on the constraint', () => {
  it('should reject with the database error only: an app that logs it logs no patient data', async () => {
    const id = await newImage()
    const error = await ctx.payload
      .update({ collection: 'consultation-images', data: { description: secret }, id, overrideAccess: false, user: ctx.clinic.doctor.user })
      .then(() => undefined, (err: unknown) => err)
    const shown = JSON.stringify(unfold(error))
    expect({ code: shown.includes('23514'), name: shown.includes('Dupont'), sql: shown.includes('update "consultation_images"') }).toEqual({ code: true, name: false, sql: false })
  })
})
