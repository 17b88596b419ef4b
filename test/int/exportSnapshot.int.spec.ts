import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

import type { AuditRow } from '../helpers/audit.js'
import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { startAuditedClinic } from '../helpers/audit.js'
import { asUploadFile, makeJpeg } from '../helpers/images.js'
import { readZipEntries } from '../helpers/zip.js'

type Stored = { filename: string; id: number }

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let eventsOf: (act: () => Promise<unknown>) => Promise<AuditRow[]>
/** More teaching images than the archive reads per query (100), in ID order. */
const images: Stored[] = []

beforeAll(async () => {
  ;({ api, clinic, eventsOf, ...ctx } = await startAuditedClinic('export_snapshot'))
  for (let seed = 0; seed < 101; seed += 1) {
    // Test set-up: small real photos with teaching consent, uploaded by the consultation's doctor.
    const doc = await ctx.payload.create({
      collection: 'consultation-images',
      data: { consentScopes: ['care', 'teaching'], consultation: clinic.consultations.own } as never,
      file: asUploadFile(await makeJpeg({ height: 48, seed, width: 64 })),
      overrideAccess: false,
      user: clinic.doctor.user,
    })
    images.push({ filename: doc.filename as string, id: doc.id })
  }
})

afterAll(async () => {
  await ctx.cleanup()
})

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

const storedHash = async (image: Stored): Promise<string> => sha256(await fs.readFile(path.join(ctx.uploadsDir, image.filename)))

/** The rest of a stream, after the chunks already read. */
const readRest = async (reader: ReadableStreamDefaultReader<Uint8Array>, chunks: Uint8Array[]): Promise<Buffer> => {
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    chunks.push(chunk.value)
  }
  return Buffer.concat(chunks)
}

const exportTeaching = () => api.request('GET', '/consultation-images/export.zip?purpose=teaching', { token: clinic.doctor.token })

describe('a teaching export is the snapshot its audit events name', () => {
  it('should send every image its events name, one whose consent is withdrawn mid-stream included', async () => {
    let response = new Response()
    const events = await eventsOf(async () => {
      response = await exportTeaching()
    })
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const first = await reader.read()
    // Mid-stream: the first entry is on its way; the last image (the archive's 101st) is not.
    const last = images.at(-1) as Stored
    const withdrawn = await api.request('PATCH', `/consultation-images/${last.id}`, { body: { consentScopes: ['care'] }, token: clinic.doctor.token })
    const archive = await readRest(reader, first.done ? [] : [first.value])
    const sent = (await readZipEntries(archive)).filter(({ entry }) => entry.fileName.startsWith('images/')).map(({ data }) => sha256(data))
    const named = events.filter((event) => event.action === 'zip-export').map((event) => images.find((image) => String(image.id) === event.document_id))
    const namedHashes = await Promise.all(named.map((image) => (image ? storedHash(image) : Promise.resolve('not an image of the test'))))
    const next = await exportTeaching()
    await next.arrayBuffer()
    expect([response.status, first.done, withdrawn.status, named.length, [...sent].sort(), sent.includes(await storedHash(last)), next.headers.get('x-total-count')]).toEqual([
      200,
      false,
      200,
      101,
      [...namedHashes].sort(),
      true,
      '100',
    ])
  })
})
