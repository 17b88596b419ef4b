import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'

import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { makeJpeg } from '../helpers/images.js'
import { listUploads } from '../helpers/payload.js'
import { startClinic } from '../helpers/setup.js'

// A real full disk: a 2 MB tmpfs mounted over the uploads directory (needs root, as CI has).
const describeAsRoot = process.getuid?.() === 0 ? describe : describe.skip

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let photo: Buffer

const filler = () => path.join(ctx.uploadsDir, 'filler.bin')

const upload = (): Promise<Response> => {
  const body = new FormData()
  body.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg')
  body.append('_payload', JSON.stringify({ acquisition: 'clinical-overview' }))
  return api.request('POST', `/consultations/${String(clinic.consultations.own)}/images`, { body, token: clinic.doctor.token })
}

describeAsRoot('a full image storage', () => {
  beforeAll(async () => {
    ;({ api, clinic, ...ctx } = await startClinic('storagefull'))
    photo = await makeJpeg({ height: 1200, seed: 9, width: 1600 })
    await fs.rm(ctx.uploadsDir, { force: true, recursive: true })
    await fs.mkdir(ctx.uploadsDir)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', ctx.uploadsDir])
  })

  afterAll(async () => {
    execFileSync('umount', [ctx.uploadsDir])
    await ctx.cleanup()
  })

  it('should answer 507 with a clear message, leaving no file and no row', async () => {
    const { size } = await fs.statfs(ctx.uploadsDir).then((stats) => ({ size: stats.bavail * stats.bsize }))
    await fs.writeFile(filler(), Buffer.alloc(size - 4096))
    const rows = await ctx.payload.count({ collection: 'consultation-images' })
    const res = await upload()
    const body = (await res.json()) as { errors: { message: string }[] }
    expect({
      files: await listUploads(ctx.uploadsDir),
      message: body.errors[0]?.message,
      rows: (await ctx.payload.count({ collection: 'consultation-images' })).totalDocs,
      status: res.status,
    }).toEqual({
      files: ['filler.bin'],
      message: 'The clinic’s image storage is full; the photo was not stored. Please tell your administrator.',
      rows: rows.totalDocs,
      status: 507,
    })
  })

  it('should store photos again once space is freed', async () => {
    await fs.rm(filler(), { force: true })
    expect((await upload()).status).toBe(201)
  })
})
