import type { IncomingMessage } from 'node:http'
import type pg from 'pg'

import { jest } from '@jest/globals'
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import sharp from 'sharp'

import type { ClinicContext } from '../helpers/setup.js'

import { countBackends, countOpenFds, openFdTargets, useOwnTmpdir, waitFor } from '../helpers/faults.js'
import { asUploadFile } from '../helpers/images.js'
import { connectSql } from '../helpers/hooks-sql.js'
import { createApiServer, listenOnFreePort } from '../helpers/httpServer.js'
import { listUploads } from '../helpers/payload.js'
import { photoForm, startClinic } from '../helpers/setup.js'

let tmp: Awaited<ReturnType<typeof useOwnTmpdir>>
let ctx: ClinicContext
let sql: pg.Client
let server: ReturnType<typeof createApiServer>
let port: number
/** Noise barely compresses: a JPEG of about a megabyte, far more than the socket buffers hold. */
let photo: Buffer
let zipConsultation: number

const noiseJpeg = async (): Promise<Buffer> =>
  sharp(randomBytes(900 * 900 * 3), { raw: { channels: 3, height: 900, width: 900 } }).jpeg({ quality: 95 }).toBuffer()

beforeAll(async () => {
  tmp = await useOwnTmpdir('aborts')
  ctx = await startClinic('aborts')
  sql = await connectSql()
  photo = await noiseJpeg()
  server = createApiServer(ctx.payload.config)
  port = await listenOnFreePort(server)
  // Test fixture set-up, not a user's action.
  zipConsultation = (
    await ctx.payload.create({
      collection: 'consultations',
      data: { doctor: ctx.clinic.doctor.id, patient: ctx.clinic.patient.id, reason: 'Follow-up' } as never,
      overrideAccess: true,
    })
  ).id
  for (let n = 0; n < 3; n += 1) {
    await ctx.payload.create({
      collection: 'consultation-images',
      data: { consultation: zipConsultation } as never,
      file: asUploadFile(await noiseJpeg()),
      overrideAccess: false,
      user: ctx.clinic.doctor.user,
    })
  }
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await sql.end()
  await ctx.cleanup()
  await tmp.restore()
})

/** Everything an interrupted request could leave behind in the server (this process). */
const resources = async () => ({
  backends: await countBackends(sql),
  fds: await countOpenFds(),
  openFiles: (await openFdTargets()).filter((target) => target.startsWith('/')),
  rows: (await sql.query('SELECT id FROM consultation_images ORDER BY id')).rows,
  tmp: await tmp.entries(),
  uploads: await listUploads(ctx.uploadsDir),
})

/** The next request the server receives. */
const nextServerRequest = (): Promise<IncomingMessage> => new Promise((resolve) => server.once('request', resolve))

/**
 * Waits until the server has finished the interrupted request and, for at most 5 s, until its
 * descriptors are back to `fds` (streams close a few ticks after the response is abandoned);
 * the assertions then compare what is left.
 */
const settled = async (fds: number): Promise<void> => {
  await waitFor(() => server.inFlight() === 0, 'the server to finish the interrupted request')
  await waitFor(async () => (await countOpenFds()) === fds, 'file descriptors to close', 5000).catch(() => undefined)
}

describe('a client that aborts an upload half-way through the body', () => {
  let before: Awaited<ReturnType<typeof resources>>
  let after: Awaited<ReturnType<typeof resources>>
  let errorsLogged: unknown[]

  beforeAll(async () => {
    // A complete upload first, so that the pool and the server are warm when the baseline is taken.
    const warm = await ctx.api.request('POST', `/consultations/${ctx.clinic.consultations.own}/images`, {
      body: photoForm(photo),
      token: ctx.clinic.doctor.token,
    })
    expect(warm.status).toBe(201)
    const encoded = new Request('http://localhost/', { body: photoForm(photo), method: 'POST' })
    const body = Buffer.from(await encoded.arrayBuffer())
    before = await resources()
    const spy = jest.spyOn(ctx.payload.logger, 'error')
    const received = nextServerRequest()
    const client = http.request({
      headers: {
        Authorization: `JWT ${ctx.clinic.doctor.token}`,
        'Content-Length': String(body.length),
        'Content-Type': encoded.headers.get('content-type') ?? '',
      },
      host: '127.0.0.1',
      method: 'POST',
      path: `/api/consultations/${ctx.clinic.consultations.own}/images`,
      port,
    })
    client.on('error', () => undefined)
    client.write(body.subarray(0, body.length / 2))
    const serverSide = await received
    await waitFor(() => serverSide.socket.bytesRead >= body.length / 2, 'half of the body to arrive')
    client.destroy()
    await settled(before.fds)
    errorsLogged = spy.mock.calls
    spy.mockRestore()
    after = await resources()
  })

  it('should not log the client’s abort as a server error', () => {
    expect(errorsLogged).toEqual([])
  })

  it('should leave no row, no stored file and no temp file', () => {
    expect({ rows: after.rows, tmp: after.tmp, uploads: after.uploads }).toEqual({ rows: before.rows, tmp: before.tmp, uploads: before.uploads })
  })

  it('should close every file handle and give back every database connection', () => {
    expect({ backends: after.backends, fds: after.fds, openFiles: after.openFiles }).toEqual({ backends: before.backends, fds: before.fds, openFiles: before.openFiles })
  })
})

describe('a client that drops a ZIP download after a few kilobytes', () => {
  let before: Awaited<ReturnType<typeof resources>>
  let after: Awaited<ReturnType<typeof resources>>
  let receivedBytes = 0

  beforeAll(async () => {
    before = await resources()
    await new Promise<void>((resolve, reject) => {
      const client = http.get(
        {
          headers: { Authorization: `JWT ${ctx.clinic.doctor.token}` },
          host: '127.0.0.1',
          path: `/api/consultations/${zipConsultation}/images/download`,
          port,
        },
        (res) => {
          res.on('data', (chunk: Buffer) => {
            receivedBytes += chunk.length
            if (receivedBytes >= 4096) {
              client.destroy()
              resolve()
            }
          })
          res.on('end', () => {
            reject(new Error('the archive ended before the client dropped it'))
          })
        },
      )
      client.on('error', () => undefined)
    })
    await settled(before.fds)
    after = await resources()
  })

  it('should have been dropped mid-archive', () => {
    expect(receivedBytes).toBeLessThan(photo.length)
  })

  it('should leave no temp file (manifest spools) and no new file', () => {
    expect({ tmp: after.tmp, uploads: after.uploads }).toEqual({ tmp: before.tmp, uploads: before.uploads })
  })

  it('should close every file handle and give back every database connection', () => {
    expect({ backends: after.backends, fds: after.fds, openFiles: after.openFiles }).toEqual({ backends: before.backends, fds: before.fds, openFiles: before.openFiles })
  })
})
