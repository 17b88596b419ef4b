import type { ActorName } from '../helpers/actors.js'
import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import fs from 'node:fs/promises'

import { ownReadStatuses, tokenOf as clinicTokenOf } from '../helpers/actors.js'
import { closeHeicDecoders, configureHeicDecoders } from '../../src/image/heicPool.js'
import { fixtures } from '../fixtures/index.js'
import { resignedToken, uploadAs } from '../helpers/clinic.js'
import { makeJpeg } from '../helpers/images.js'
import { listUploads } from '../helpers/payload.js'
import { startClinic } from '../helpers/setup.js'

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let jpeg: Buffer

beforeAll(async () => {
  ;({ api, clinic, ...ctx } = await startClinic('endpoints'))
  jpeg = await makeJpeg({ height: 300, width: 400 })
  for (const seed of [1, 2, 3, 4]) {
    await uploadAs(ctx.payload, clinic.doctor, clinic.consultations.own, { description: `extra ${String(seed)}` }, seed)
  }
})

afterAll(async () => {
  await ctx.cleanup()
})

type ErrorBody = { errors: { message: string; path?: string }[] }

const tokenOf = (actor: ActorName): string | undefined => clinicTokenOf(clinic, actor)

const form = (files: number, payload: Record<string, unknown> = { acquisition: 'dermoscopic' }): FormData => {
  const body = new FormData()
  for (let index = 0; index < files; index += 1) {
    body.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), `photo-${String(index)}.jpg`)
  }
  body.append('_payload', JSON.stringify(payload))
  return body
}

const list = (actor: ActorName, query = '', id: number | string = clinic.consultations.own) =>
  api.request('GET', `/consultations/${String(id)}/images${query}`, { token: tokenOf(actor) })

describe('GET /api/consultations/:id/images', () => {
  it.each(ownReadStatuses)('should answer %s with %i', async (actor, status) => {
    expect((await list(actor)).status).toBe(status)
  })

  it('should answer 404 for a consultation that does not exist, like one that is not yours', async () => {
    expect((await list('doctor', '', 999_999)).status).toBe(404)
  })

  it('should paginate like Payload’s own lists', async () => {
    const body = (await (await list('doctor', '?limit=2&page=2')).json()) as Record<string, unknown>
    expect({ limit: body.limit, page: body.page, totalDocs: body.totalDocs, totalPages: body.totalPages }).toEqual({
      limit: 2,
      page: 2,
      totalDocs: 5,
      totalPages: 3,
    })
  })

  it('should list the primary image first, then the newest', async () => {
    const { docs } = (await (await list('doctor', '?limit=100')).json()) as { docs: { createdAt: string; isPrimary: boolean }[] }
    const rest = docs.slice(1).map((doc) => doc.createdAt)
    expect([docs[0]?.isPrimary, rest]).toEqual([true, [...rest].sort().reverse()])
  })

  it('should give each image the URLs of its original and derivatives', async () => {
    const { docs } = (await (await list('doctor', '?limit=1')).json()) as { docs: { sizes: Record<string, { url: string }>; url: string }[] }
    expect([docs[0]?.url, docs[0]?.sizes.thumbnail?.url, docs[0]?.sizes.preview?.url].every((url) => url?.startsWith('/api/consultation-images/file/'))).toBe(true)
  })

  it.each<[string, string]>([
    ['?limit=101', 'limit'],
    ['?limit=0', 'limit'],
    ['?page=0', 'page'],
    ['?page=abc', 'page'],
  ])('should refuse %s with 400 naming the field', async (query, path) => {
    const res = await list('doctor', query)
    const body = (await res.json()) as ErrorBody
    expect([res.status, body.errors.map((error) => error.path)]).toEqual([400, [path]])
  })

  it('should refuse an unknown query parameter, naming it', async () => {
    const res = await list('doctor', '?sort=secret')
    expect([res.status, ((await res.json()) as ErrorBody).errors[0]?.path]).toEqual([400, 'sort'])
  })

  it('should refuse a consultation ID that is not a number, naming it', async () => {
    const res = await list('doctor', '', 'abc')
    expect([res.status, ((await res.json()) as ErrorBody).errors[0]?.path]).toEqual([400, 'id'])
  })
})

describe('POST /api/consultations/:id/images', () => {
  const post = (actor: ActorName, body: FormData, id: number = clinic.consultations.own) =>
    api.request('POST', `/consultations/${String(id)}/images`, { body, token: tokenOf(actor) })

  it.each<[ActorName, number]>([
    ['admin', 201],
    ['doctor', 201],
    ['patient', 403],
    ['otherDoctor', 404],
    ['otherPatient', 404],
    ['anonymous', 401],
  ])('should answer %s with %i', async (actor, status) => {
    expect((await post(actor, form(1))).status).toBe(status)
  })

  it('should answer 201 with the stored image, its metadata and URLs', async () => {
    const res = await post('doctor', form(1, { acquisition: 'clinical-close-up', bodySite: 'forearm', laterality: 'left' }))
    const { doc } = (await res.json()) as { doc: Record<string, unknown> & { sizes: Record<string, { url: string }> } }
    expect({
      acquisition: doc.acquisition,
      bodySite: doc.bodySite,
      consultation: doc.consultation,
      thumbnail: doc.sizes.thumbnail?.url.startsWith('/api/consultation-images/file/'),
    }).toEqual({ acquisition: 'clinical-close-up', bodySite: 'forearm', consultation: clinic.consultations.own, thumbnail: true })
  })

  it('should refuse several files in one request and store none of them', async () => {
    const [rows, files] = [await ctx.payload.count({ collection: 'consultation-images' }), await listUploads(ctx.uploadsDir)]
    const res = await post('doctor', form(2))
    expect([res.status, (await ctx.payload.count({ collection: 'consultation-images' })).totalDocs, await listUploads(ctx.uploadsDir)]).toEqual([
      400,
      rows.totalDocs,
      files,
    ])
  })

  it('should refuse a request without a file', async () => {
    expect((await post('doctor', form(0))).status).toBe(400)
  })

  it('should refuse unknown or server-computed metadata, naming the field', async () => {
    const res = await post('doctor', form(1, { capturedAt: '2020-01-01T00:00:00.000Z' }))
    expect([res.status, ((await res.json()) as ErrorBody).errors[0]?.path]).toEqual([400, 'capturedAt'])
  })

  it('should refuse a body site outside the coded vocabulary, naming the field', async () => {
    const res = await post('doctor', form(1, { bodySite: 'elbow-of-the-moon' }))
    expect([res.status, ((await res.json()) as ErrorBody).errors.map((error) => error.path)]).toEqual([400, ['bodySite']])
  })

  it('should refuse a body that is not multipart with 415', async () => {
    const res = await api.request('POST', `/consultations/${String(clinic.consultations.own)}/images`, {
      body: { acquisition: 'dermoscopic' },
      token: clinic.doctor.token,
    })
    expect(res.status).toBe(415)
  })
})

describe('POST /api/consultations/:id/images with a HEIC that decodes too slowly', () => {
  let previous: ReturnType<typeof configureHeicDecoders>

  beforeAll(async () => {
    // The real libheif worker, given 1 ms: the 12 MP fixture takes hundreds of milliseconds to decode.
    await closeHeicDecoders()
    previous = configureHeicDecoders({ timeoutMs: 1 })
  })

  afterAll(async () => {
    configureHeicDecoders(previous)
    await closeHeicDecoders()
  })

  it('should answer 422 in the error contract and store neither a row nor a file', async () => {
    const [rows, files] = [await ctx.payload.count({ collection: 'consultation-images' }), await listUploads(ctx.uploadsDir)]
    const body = new FormData()
    body.append('file', new Blob([new Uint8Array(await fs.readFile(fixtures.heic12mp.path))], { type: 'image/heic' }), 'IMG_0042.HEIC')
    body.append('_payload', JSON.stringify({ acquisition: 'dermoscopic' }))
    const res = await api.request('POST', `/consultations/${String(clinic.consultations.own)}/images`, { body, token: clinic.doctor.token })
    expect([res.status, await res.json(), (await ctx.payload.count({ collection: 'consultation-images' })).totalDocs, await listUploads(ctx.uploadsDir)]).toEqual([
      422,
      { errors: [{ message: expect.stringMatching(/too long to decode/) }] },
      rows.totalDocs,
      files,
    ])
  })
})

describe('PATCH /api/consultation-images/:id', () => {
  it('should never let a client point an image at another file', async () => {
    const res = await api.request('PATCH', `/consultation-images/${String(clinic.images.own.id)}`, {
      body: { filename: clinic.images.other.filename, description: 'relabelled' },
      token: clinic.doctor.token,
    })
    const { doc } = (await res.json()) as { doc: { description: string; filename: string } }
    expect([doc.filename, doc.description]).toEqual([clinic.images.own.filename, 'relabelled'])
  })
})

describe('credentials and methods', () => {
  it.each<['DELETE' | 'GET' | 'POST', string]>([
    ['GET', '/images'],
    ['POST', '/images'],
    ['GET', '/images/download'],
  ])('should answer %s …%s with an expired token with 401', async (method, suffix) => {
    const token = await resignedToken(ctx.payload, clinic.doctor, -3600)
    const res = await api.request(method, `/consultations/${String(clinic.consultations.own)}${suffix}`, {
      ...(method === 'POST' ? { body: form(1) } : {}),
      token,
    })
    expect([res.status, ((await res.json()) as ErrorBody).errors.length]).toEqual([401, 1])
  })

  it('should accept the same token re-signed to expire in the future (the expiry alone is refused)', async () => {
    const token = await resignedToken(ctx.payload, clinic.doctor, 3600)
    expect((await api.request('GET', `/consultations/${String(clinic.consultations.own)}/images`, { token })).status).toBe(200)
  })

  it('should answer a method the path does not serve with 405 and Allow', async () => {
    const res = await api.request('DELETE', `/consultations/${String(clinic.consultations.own)}/images`, { token: clinic.doctor.token })
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'GET, POST'])
  })

  it('should answer POST on the download with 405', async () => {
    const res = await api.request('POST', `/consultations/${String(clinic.consultations.own)}/images/download`, {
      body: form(1),
      token: clinic.doctor.token,
    })
    expect(res.status).toBe(405)
  })
})
