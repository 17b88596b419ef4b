import type pg from 'pg'

import type { Clinic } from '../helpers/clinic.js'
import type { StoredImage } from '../helpers/hooks-fixtures.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { injectHook } from '../helpers/faults.js'
import { createConsultationAs, filesOf, uploadBytesAs } from '../helpers/hooks-fixtures.js'
import { connectSql, consultationExists, imageIdsOf, injectFailingTrigger } from '../helpers/hooks-sql.js'
import { makeJpeg } from '../helpers/images.js'
import { listUploads } from '../helpers/payload.js'
import { startClinic } from '../helpers/setup.js'

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let sql: pg.Client
/** One JPEG larger than every image size, so each image has an original and two derivatives. */
let jpeg: Buffer

beforeAll(async () => {
  ;({ api, clinic, ...ctx } = await startClinic('cascade'))
  sql = await connectSql()
  jpeg = await makeJpeg({ height: 1800, seed: 9, width: 2400 })
})

afterAll(async () => {
  await sql.end()
  await ctx.cleanup()
})

/** A new consultation of `doctor` with `count` images, uploaded by the doctor. */
const consultationWithImages = async (count: number): Promise<{ consultation: number; images: StoredImage[] }> => {
  const consultation = await createConsultationAs(ctx.payload, clinic.doctor, clinic.patient)
  const images: StoredImage[] = []
  for (let n = 0; n < count; n += 1) {
    images.push(await uploadBytesAs(ctx.payload, clinic.doctor, consultation, jpeg))
  }
  return { consultation, images }
}

/** Every stored file of every image row, read by the system. */
const filesOfAllImages = async (): Promise<string[]> => {
  const { docs } = await ctx.payload.find({
    collection: 'consultation-images',
    depth: 0,
    overrideAccess: true,
    pagination: false,
  })
  return (docs as unknown as StoredImage[]).flatMap(filesOf)
}

/** The status of fetching each file through the file route, as the consultation's doctor. */
const serveStatuses = async (files: string[]): Promise<number[]> =>
  Promise.all(
    files.map(async (name) => {
      const res = await api.request('GET', `/consultation-images/file/${name}`, { token: clinic.doctor.token })
      await res.arrayBuffer()
      return res.status
    }),
  )

const ok = (files: string[]): number[] => files.map(() => 200)

const uploadForm = (consultation: number): FormData => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'visit.jpg')
  form.append('_payload', JSON.stringify({ consultation }))
  return form
}

describe('the doctor deleting a consultation with three images', () => {
  let consultation: number
  let deletedFiles: string[]
  let before: string[]
  let after: string[]
  let status: number

  beforeAll(async () => {
    const created = await consultationWithImages(3)
    consultation = created.consultation
    deletedFiles = created.images.flatMap(filesOf)
    before = await listUploads(ctx.uploadsDir)
    status = (
      await api.request('DELETE', `/consultations/${consultation}`, {
        token: clinic.doctor.token,
      })
    ).status
    after = await listUploads(ctx.uploadsDir)
  })

  it('should answer 200', () => {
    expect(status).toBe(200)
  })

  it('should delete the consultation', async () => {
    expect(await consultationExists(sql, consultation)).toBe(false)
  })

  it('should leave no image rows for it', async () => {
    expect(await imageIdsOf(sql, consultation)).toEqual([])
  })

  it('should remove exactly its images’ nine files from the uploads directory', () => {
    expect([deletedFiles.length, before]).toEqual([9, expect.arrayContaining(deletedFiles)])
    expect(after).toEqual(before.filter((name) => !deletedFiles.includes(name)))
  })

  it('should keep every file of the other consultations’ images', async () => {
    expect(after).toEqual(expect.arrayContaining(await filesOfAllImages()))
  })
})

describe('a consultation delete that fails after its images were deleted in the same transaction', () => {
  let consultation: number
  let imageIds: number[]
  let files: string[]
  let before: string[]
  let after: string[]
  let response: { body: unknown; status: number }

  beforeAll(async () => {
    const created = await consultationWithImages(3)
    consultation = created.consultation
    imageIds = created.images.map((image) => image.id)
    files = created.images.flatMap(filesOf)
    before = await listUploads(ctx.uploadsDir)
    const removeTrigger = await injectFailingTrigger(sql, 'consultations', 'DELETE')
    try {
      const res = await api.request('DELETE', `/consultations/${consultation}`, { token: clinic.doctor.token })
      response = { body: await res.json(), status: res.status }
    } finally {
      await removeTrigger()
    }
    after = await listUploads(ctx.uploadsDir)
  })

  it('should answer with a server error', () => {
    expect(response).toEqual({
      body: {
        errors: [expect.objectContaining({ message: expect.any(String) })],
      },
      status: 500,
    })
  })

  it('should keep the consultation', async () => {
    expect(await consultationExists(sql, consultation)).toBe(true)
  })

  it('should keep its image rows', async () => {
    expect(await imageIdsOf(sql, consultation)).toEqual(imageIds)
  })

  it('should keep all of their files', () => {
    expect([files.length, after]).toEqual([9, before])
  })

  it('should still serve all of their files', async () => {
    expect(await serveStatuses(files)).toEqual(ok(files))
  })
})

describe('an upload whose row insert fails', () => {
  let consultation: number
  let before: string[]
  let after: string[]
  let status: number

  beforeAll(async () => {
    consultation = (await consultationWithImages(1)).consultation
    before = await listUploads(ctx.uploadsDir)
    const removeTrigger = await injectFailingTrigger(sql, 'consultation_images', 'INSERT')
    try {
      const res = await api.request('POST', '/consultation-images', {
        body: uploadForm(consultation),
        token: clinic.doctor.token,
      })
      await res.arrayBuffer()
      status = res.status
    } finally {
      await removeTrigger()
    }
    after = await listUploads(ctx.uploadsDir)
  })

  it('should answer with a server error', () => {
    expect(status).toBe(500)
  })

  it('should leave no new file in the uploads directory', () => {
    expect(after).toEqual(before)
  })

  it('should leave no new image row', async () => {
    expect((await imageIdsOf(sql, consultation)).length).toBe(1)
  })
})

type RemoveFault = () => Promise<void> | void

/** The two moments a delete can fail: before its row is deleted, and after (before the commit). */
const deleteFaults: [string, () => Promise<RemoveFault>][] = [
  ['before its row is deleted (a failing trigger)', () => injectFailingTrigger(sql, 'consultation_images', 'DELETE')],
  [
    'after its row is deleted, before the commit (a throwing afterDelete hook)',
    () =>
      Promise.resolve(
        injectHook(ctx.payload, 'consultation-images', 'afterDelete', () => {
          throw new Error('injected failure after the row was deleted')
        }),
      ),
  ],
]

describe.each(deleteFaults)('an image delete that fails %s', (_moment, injectFault) => {
  let image: StoredImage
  let files: string[]
  let before: string[]
  let after: string[]
  let status: number

  beforeAll(async () => {
    image = (await consultationWithImages(2)).images[1] as StoredImage
    files = filesOf(image)
    before = await listUploads(ctx.uploadsDir)
    const removeFault = await injectFault()
    try {
      const res = await api.request('DELETE', `/consultation-images/${image.id}`, { token: clinic.doctor.token })
      await res.arrayBuffer()
      status = res.status
    } finally {
      await removeFault()
    }
    after = await listUploads(ctx.uploadsDir)
  })

  it('should answer with a server error', () => {
    expect(status).toBe(500)
  })

  it('should keep the image row', async () => {
    const { rows } = await sql.query('SELECT id FROM consultation_images WHERE id = $1', [image.id])
    expect(rows).toEqual([{ id: image.id }])
  })

  it('should keep all of its files', () => {
    expect([files.length, after, before]).toEqual([3, before, expect.arrayContaining(files)])
  })

  it('should still serve all of its files', async () => {
    expect(await serveStatuses(files)).toEqual(ok(files))
  })
})

describe('an image delete in progress (row deleted, not yet committed)', () => {
  let image: StoredImage
  let files: string[]
  let servedDuring: number[]
  let afterCommit: { files: string[]; served: number[] }

  beforeAll(async () => {
    image = (await consultationWithImages(2)).images[1] as StoredImage
    files = filesOf(image)
    const remove = injectHook(ctx.payload, 'consultation-images', 'afterDelete', async () => {
      // Other requests, on other connections, still see the committed row.
      servedDuring = await serveStatuses(files)
    })
    try {
      const res = await api.request('DELETE', `/consultation-images/${image.id}`, { token: clinic.doctor.token })
      await res.arrayBuffer()
    } finally {
      remove()
    }
    afterCommit = { files: (await listUploads(ctx.uploadsDir)).filter((name) => files.includes(name)), served: await serveStatuses(files) }
  })

  it('should keep serving the image while its row is committed', () => {
    expect(servedDuring).toEqual(ok(files))
  })

  it('should remove its files and stop serving them once the delete has committed', () => {
    expect(afterCommit).toEqual({ files: [], served: files.map(() => 404) })
  })
})
