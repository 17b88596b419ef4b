import type pg from 'pg'

import { jest } from '@jest/globals'

import type { ClinicContext } from '../helpers/setup.js'

import { backendPidOf, injectHook, terminateBackend, useOwnTmpdir } from '../helpers/faults.js'
import { connectSql } from '../helpers/hooks-sql.js'
import { makeJpeg } from '../helpers/images.js'
import { listUploads } from '../helpers/payload.js'
import { photoForm, startClinic } from '../helpers/setup.js'

const collection = 'consultation-images'

let tmp: Awaited<ReturnType<typeof useOwnTmpdir>>
let ctx: ClinicContext
let sql: pg.Client
let photo: Buffer

beforeAll(async () => {
  tmp = await useOwnTmpdir('uploadfaults')
  ctx = await startClinic('uploadfaults')
  sql = await connectSql()
  photo = await makeJpeg({ height: 1200, seed: 3, width: 1600 })
})

afterAll(async () => {
  await sql.end()
  await ctx.cleanup()
  await tmp.restore()
})

type Upload = { body: unknown; status: number }

const uploadThrough = async (route: 'payload' | 'plugin'): Promise<Upload> => {
  const res =
    route === 'plugin'
      ? await ctx.api.request('POST', `/consultations/${ctx.clinic.consultations.own}/images`, {
          body: photoForm(photo, { acquisition: 'clinical-overview' }),
          token: ctx.clinic.doctor.token,
        })
      : await ctx.api.request('POST', `/${collection}`, {
          body: photoForm(photo, { consultation: ctx.clinic.consultations.own }),
          token: ctx.clinic.doctor.token,
        })
  return { body: await res.json(), status: res.status }
}

/** What a failed upload could leave behind: image rows, stored files, temp files. */
const leftovers = async () => ({
  rows: (await sql.query('SELECT id FROM consultation_images ORDER BY id')).rows,
  tmp: await tmp.entries(),
  uploads: await listUploads(ctx.uploadsDir),
})

const serverError = { body: { errors: [{ message: 'Something went wrong.' }] }, status: 500 }

describe('an upload whose database connection is killed after its files are written', () => {
  let before: Awaited<ReturnType<typeof leftovers>>
  let filesAtKill: string[]
  let response: Upload
  let logged: string

  beforeAll(async () => {
    before = await leftovers()
    const spy = jest.spyOn(ctx.payload.logger, 'error')
    const remove = injectHook(ctx.payload, collection, 'beforeChange', async ({ req }) => {
      filesAtKill = await listUploads(ctx.uploadsDir)
      await terminateBackend(sql, await backendPidOf(req))
    })
    try {
      response = await uploadThrough('plugin')
    } finally {
      remove()
      logged = JSON.stringify(spy.mock.calls)
      spy.mockRestore()
    }
  })

  it('should have killed it with the original and both derivatives on disk', () => {
    expect(filesAtKill.length - before.uploads.length).toBe(3)
  })

  it('should answer 500 with the error contract and nothing else', () => {
    expect(response).toEqual(serverError)
  })

  it('should leave no row, no stored file and no temp file', async () => {
    expect(await leftovers()).toEqual(before)
  })

  it('should log the lost connection (an unhandled pool error would end the process) without the query’s parameters', () => {
    expect({ lost: logged.includes('57P01'), params: logged.includes('photo.jpg') }).toEqual({ lost: true, params: false })
  })

  it('should store the next upload on a fresh connection', async () => {
    expect((await uploadThrough('plugin')).status).toBe(201)
  })
})

describe.each(['plugin', 'payload'] as const)('an upload through the %s route whose afterChange hook throws', (route) => {
  let before: Awaited<ReturnType<typeof leftovers>>
  let response: Upload

  beforeAll(async () => {
    before = await leftovers()
    const remove = injectHook(ctx.payload, collection, 'afterChange', () => {
      throw new Error('injected afterChange failure')
    })
    try {
      response = await uploadThrough(route)
    } finally {
      remove()
    }
  })

  it('should answer 500 with the error contract and no stack', () => {
    expect(response).toEqual(serverError)
  })

  it('should leave no row, no stored file and no temp file', async () => {
    expect(await leftovers()).toEqual(before)
  })
})

describe.each([
  ['an anonymous visitor', undefined, 401],
  ['a patient', 'patient', 403],
] as const)('%s posting a photo to Payload’s own upload route', (_who, actor, refusal) => {
  let status: number
  let laterHooksRan: number

  beforeAll(async () => {
    laterHooksRan = 0
    // Appended after the plugin's beforeOperation hooks: it runs only if they all let the request through.
    const remove = injectHook(ctx.payload, collection, 'beforeOperation', ({ req }) => {
      laterHooksRan += req.file ? 1 : 0
    })
    try {
      const res = await ctx.api.request('POST', `/${collection}`, {
        body: photoForm(photo, { consultation: ctx.clinic.consultations.own }),
        token: actor && ctx.clinic[actor].token,
      })
      await res.arrayBuffer()
      status = res.status
    } finally {
      remove()
    }
  })

  it('should be refused before the photo is decoded (ingest never ran)', () => {
    expect({ laterHooksRan, status }).toEqual({ laterHooksRan: 0, status: refusal })
  })
})
