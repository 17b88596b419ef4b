import type { PayloadRequest } from 'payload'

import { createLocalReq } from 'payload'

import type { Actor, Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'

import { galleryFirstPage, imagesTally } from '../../src/operations/consultationViewImages.js'
import { uploadAs } from '../helpers/clinic.js'
import { startClinic } from '../helpers/setup.js'
import { readsOf, recordSql } from '../helpers/sqlCounter.js'

let ctx: TestContext
let clinic: Clinic

beforeAll(async () => {
  ;({ clinic, ...ctx } = await startClinic('consultation_view'))
  // Three more photos of the own consultation: four in all, one primary.
  for (const seed of [21, 22, 23]) {
    await uploadAs(ctx.payload, clinic.doctor, clinic.consultations.own, { acquisition: 'dermoscopic' }, seed)
  }
})

afterAll(async () => {
  await ctx.cleanup()
})

/** A request of `actor`'s, as the admin's edit view gets one. */
const requestOf = (actor: Actor): Promise<PayloadRequest> => createLocalReq({ user: actor.user as never }, ctx.payload)

/** What the edit view's two server components read: the sidebar's tally and the gallery's first page (of 2 here). */
const renderView = (req: PayloadRequest, consultation = clinic.consultations.own) => {
  const args = { consultation, imagesSlug: 'consultation-images' as const, req }
  return Promise.all([imagesTally(args), galleryFirstPage(args, 2)])
}

const imageReads = async (run: () => Promise<unknown>): Promise<number> =>
  readsOf(await recordSql(ctx.payload, run), 'consultation_images').length

describe('the consultation edit view reads its images once', () => {
  it('should run the sidebar summary and the gallery’s first page on the statements of one find', async () => {
    const where = { consultation: { equals: clinic.consultations.own } }
    // What the two components read before, each for itself: the summary's up to 500 kinds and
    // dates, then the gallery's first page of 48 with its count.
    const separately = await imageReads(async () => {
      const req = await requestOf(clinic.doctor)
      await ctx.payload.find({
        collection: 'consultation-images',
        depth: 0,
        limit: 500,
        overrideAccess: false,
        pagination: false,
        req,
        select: { acquisition: true, capturedAt: true },
        where,
      })
      await ctx.payload.find({ collection: 'consultation-images', depth: 0, limit: 48, overrideAccess: false, req, sort: ['-isPrimary', '-createdAt'], where })
    })
    const oneFind = await imageReads(async () =>
      ctx.payload.find({ collection: 'consultation-images', depth: 0, limit: 500, overrideAccess: false, req: await requestOf(clinic.doctor), sort: ['-isPrimary', '-createdAt'], where }),
    )
    const shared = await imageReads(async () => renderView(await requestOf(clinic.doctor)))
    expect(shared).toBe(oneFind)
    expect(shared).toBeLessThan(separately)
  })

  it('should give the summary every image and the gallery its first page in the list endpoint’s order', async () => {
    const [tally, page] = await renderView(await requestOf(clinic.doctor))
    const all = await ctx.payload.find({
      collection: 'consultation-images',
      depth: 0,
      overrideAccess: false,
      sort: ['-isPrimary', '-createdAt'],
      user: clinic.doctor.user,
      where: { consultation: { equals: clinic.consultations.own } },
    })
    expect(tally.totalDocs).toBe(4)
    expect(tally.images.filter((image) => image.acquisition === 'dermoscopic')).toHaveLength(3)
    expect(page).toMatchObject({ page: 1, totalDocs: 4, totalPages: 2 })
    expect(page.docs.map((doc) => doc.id)).toEqual(all.docs.slice(0, 2).map((doc) => doc.id))
  })

  it('should read again for the next request', async () => {
    const first = await requestOf(clinic.doctor)
    await renderView(first)
    const second = await requestOf(clinic.doctor)
    expect(await imageReads(() => renderView(second))).toBeGreaterThan(0)
  })

  it('should read with the viewer’s own access: another doctor’s consultation shows no image', async () => {
    const [tally, page] = await renderView(await requestOf(clinic.otherDoctor))
    expect(tally).toEqual({ images: [], totalDocs: 0 })
    expect(page.docs).toEqual([])
  })
})
