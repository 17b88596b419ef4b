import type { ClinicContext } from '../helpers/setup.js'

import { jest } from '@jest/globals'
import { REST_POST } from '@payloadcms/next/routes'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { listUploads } from '../helpers/payload.js'
import { photoForm, startClinic } from '../helpers/setup.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')

let ctx: ClinicContext

beforeAll(async () => {
  ctx = await startClinic('guard_create')
})

afterAll(async () => {
  await ctx.cleanup()
})

const declaredSize = 50 * 1024 * 1024

/**
 * A multipart-looking 50 MB body made on demand, so the test can tell how much of it the server
 * pulled before answering.
 */
const countingBody = () => {
  let pulled = 0
  const chunk = new Uint8Array(64 * 1024).fill(0x61)
  const stream = new ReadableStream<Uint8Array>({
    pull: (controller) => {
      if (pulled >= declaredSize) {
        controller.close()
        return
      }
      pulled += chunk.length
      controller.enqueue(chunk)
    },
  })
  return { pulled: () => pulled, stream }
}

const post = async (token: string | undefined) => {
  const body = countingBody()
  const headers = new Headers({
    'Content-Length': String(declaredSize),
    'Content-Type': 'multipart/form-data; boundary=----derma',
  })
  if (token) {
    headers.set('Authorization', `JWT ${token}`)
  }
  const request = new Request('http://localhost:3000/api/consultation-images', {
    body: body.stream,
    // @ts-expect-error -- Node's fetch needs `duplex` for a streamed request body; lib.dom lacks it
    duplex: 'half',
    headers,
    method: 'POST',
  })
  const response = await REST_POST(ctx.payload.config)(request, { params: Promise.resolve({ slug: ['consultation-images'] }) })
  return { body: (await response.json()) as { errors: { message: string }[] }, pulled: body.pulled(), status: response.status }
}

describe("POST /api/consultation-images refused from the headers, before Payload reads the body", () => {
  it.each([
    ['anonymous', 401, undefined],
    ['a patient', 403, 'patient'],
    ['a doctor declaring 50 MB', 413, 'doctor'],
  ] as const)('should answer %s with %i having read less than 1 MB of a 50 MB body', async (_who, status, actor) => {
    const before = await listUploads(ctx.uploadsDir)
    const result = await post(actor && ctx.clinic[actor].token)
    expect(result.status).toBe(status)
    expect(result.body.errors[0]?.message).toEqual(expect.any(String))
    expect(result.pulled).toBeLessThan(1024 * 1024)
    await expect(listUploads(ctx.uploadsDir)).resolves.toEqual(before)
  })

  it('should name both sizes when the declared body is too large', async () => {
    const result = await post(ctx.clinic.doctor.token)
    expect(result.body.errors[0]?.message).toBe(
      `The upload is ${String(declaredSize)} bytes; the largest accepted photo is 10485760 bytes.`,
    )
  })
})

describe('refusals on Payload’s route are logged as refusals, not as server errors', () => {
  let calls: Record<'error' | 'info' | 'warn', string[]>
  let statuses: number[]

  beforeAll(async () => {
    const spies = {
      error: jest.spyOn(ctx.payload.logger, 'error'),
      info: jest.spyOn(ctx.payload.logger, 'info'),
      warn: jest.spyOn(ctx.payload.logger, 'warn'),
    }
    try {
      const flood = await fs.readFile(path.join(fixtures, 'pixel-flood.jpg'))
      const floodAnswer = await ctx.api.request('POST', '/consultation-images', {
        body: photoForm(flood, { consultation: ctx.clinic.consultations.own }),
        token: ctx.clinic.doctor.token,
      })
      statuses = [(await post(undefined)).status, (await post(ctx.clinic.doctor.token)).status, floodAnswer.status]
      calls = {
        error: spies.error.mock.calls.map((call) => JSON.stringify(call)),
        info: spies.info.mock.calls.map((call) => JSON.stringify(call)),
        warn: spies.warn.mock.calls.map((call) => JSON.stringify(call)),
      }
    } finally {
      Object.values(spies).forEach((spy) => { spy.mockRestore(); })
    }
  })

  it('should refuse an anonymous post, a declared 50 MB body and a pixel flood', () => {
    expect(statuses).toEqual([401, 413, 413])
  })

  it('should log none of them as an error or a warning', () => {
    expect({ error: calls.error, warn: calls.warn }).toEqual({ error: [], warn: [] })
  })

  it('should log each at info with its message', () => {
    expect(calls.info).toEqual([
      expect.stringContaining('This image is too large'),
      expect.stringContaining('Unauthorized'),
      expect.stringContaining('the largest accepted photo is 10485760 bytes'),
    ])
  })
})

describe('a chunked body (no Content-Length) over Payload’s own 20 MB multipart limit', () => {
  it('should answer 413 and log it at info, not as an error, leaving no file', async () => {
    const boundary = '----dermaChunked'
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    )
    const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`)
    const chunk = new Uint8Array(256 * 1024).fill(0x61)
    const chunks = [head, ...Array.from({ length: 84 }, () => chunk), tail] // 21 MB of file
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        const next = chunks.shift()
        if (next) {
          controller.enqueue(next)
        } else {
          controller.close()
        }
      },
    })
    const before = await listUploads(ctx.uploadsDir)
    const spies = { error: jest.spyOn(ctx.payload.logger, 'error'), info: jest.spyOn(ctx.payload.logger, 'info') }
    try {
      const request = new Request('http://localhost:3000/api/consultation-images', {
        body: stream,
        // @ts-expect-error -- Node's fetch needs `duplex` for a streamed request body; lib.dom lacks it
        duplex: 'half',
        headers: { Authorization: `JWT ${ctx.clinic.doctor.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        method: 'POST',
      })
      const response = await REST_POST(ctx.payload.config)(request, { params: Promise.resolve({ slug: ['consultation-images'] }) })
      expect({
        errors: spies.error.mock.calls.length,
        info: spies.info.mock.calls.length,
        status: response.status,
      }).toEqual({ errors: 0, info: 1, status: 413 })
    } finally {
      Object.values(spies).forEach((spy) => { spy.mockRestore(); })
    }
    await expect(listUploads(ctx.uploadsDir)).resolves.toEqual(before)
  })
})
