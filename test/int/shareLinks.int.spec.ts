import type { Pool } from 'pg'

import { jest } from '@jest/globals'
import { createHash } from 'node:crypto'
import React from 'react'
import { renderToString } from 'react-dom/server'

import type { SharedGalleryView } from '../../src/operations/shareView.js'
import type { ActorName } from '../helpers/actors.js'
import type { Clinic } from '../helpers/clinic.js'
import type { TestContext } from '../helpers/payload.js'
import type { RestClient } from '../helpers/rest.js'

import { shareFrozenMessage, shareTargetMessage } from '../../src/collections/ShareLinks/hooks.js'
import { SharedGallery, ShareNotFound } from '../../src/components/ShareLinks/SharedGallery.js'
import { shareNotFoundMessage } from '../../src/endpoints/share.js'
import { tokenOf } from '../helpers/actors.js'
import { uploadAs } from '../helpers/clinic.js'
import { startClinic } from '../helpers/setup.js'

let ctx: TestContext
let clinic: Clinic
let api: RestClient
let pool: Pool
/** The own consultation's images: two consented for second opinion, the clinic's first one (care only) not. */
let consented: number[]
/** A lesion of `patient` with consented images in two of `doctor`'s consultations and one of `otherDoctor`'s. */
let lesion: { foreign: number; id: number; own: number[] }

type Created = { doc: { id: number; token: string; url: string } & Record<string, unknown> }

const dayMs = 24 * 60 * 60 * 1000
const inDays = (days: number) => new Date(Date.now() + days * dayMs).toISOString()

const createLink = (actor: ActorName, body: Record<string, unknown>) =>
  api.request('POST', '/share-links', { body, token: tokenOf(clinic, actor) })

const linkFor = async (body: Record<string, unknown>, actor: ActorName = 'doctor'): Promise<Created['doc']> => {
  const res = await createLink(actor, body)
  expect(res.status).toBe(201)
  return ((await res.json()) as Created).doc
}

const open = (token: string) => api.request('GET', `/share/${token}`)
const gallery = async (token: string): Promise<SharedGalleryView> => (await (await open(token)).json()) as SharedGalleryView
/** The API-relative path of a URL the gallery hands out (`/api/share/…` → `/share/…`). */
const viaApi = (url: string) => api.request('GET', url.replace(/^\/api/, '') as `/${string}`)

const lastEvents = async (count: number) =>
  (
    await pool.query(
      'SELECT action, channel, document_collection, document_id, consultation, patient, status::int AS status, variant FROM audit_events ORDER BY id DESC LIMIT $1',
      [count],
    )
  ).rows.reverse()

const withSecondOpinion = { consentScopes: ['care', 'second-opinion'] }

beforeAll(async () => {
  ;({ api, clinic, ...ctx } = await startClinic('share_links'))
  pool = (ctx.payload.db as unknown as { pool: Pool }).pool
  const own = clinic.consultations.own
  const first = await uploadAs(ctx.payload, clinic.doctor, own, { ...withSecondOpinion, bodySite: 'shoulder', description: 'Asymmetric naevus', laterality: 'left' }, 11)
  const second = await uploadAs(ctx.payload, clinic.doctor, own, { ...withSecondOpinion, acquisition: 'dermoscopic' }, 12)
  consented = [first.id, second.id]
  const created = await api.request('POST', '/lesions', { body: { label: 'Mole left shoulder #2', patient: clinic.patient.id }, token: clinic.doctor.token })
  const lesionID = ((await created.json()) as { doc: { id: number } }).doc.id
  // Test set-up: a second visit with the same doctor, and one with another doctor, both of `patient`.
  const visit = (doctor: number) =>
    ctx.payload.create({ collection: 'consultations', data: { doctor, patient: clinic.patient.id, reason: 'Follow-up' } as never, overrideAccess: true })
  const later = await visit(clinic.doctor.id)
  const foreignVisit = await visit(clinic.otherDoctor.id)
  const inLesion = { ...withSecondOpinion, lesion: lesionID, role: 'follow-up' }
  const a = await uploadAs(ctx.payload, clinic.doctor, own, inLesion, 21)
  const b = await uploadAs(ctx.payload, clinic.doctor, later.id, inLesion, 22)
  const foreign = await uploadAs(ctx.payload, clinic.otherDoctor, foreignVisit.id, inLesion, 23)
  await uploadAs(ctx.payload, clinic.doctor, later.id, { lesion: lesionID }, 24)
  lesion = { foreign: foreign.id, id: lesionID, own: [a.id, b.id] }
  consented = [...consented, a.id]
})

afterAll(async () => {
  await ctx.cleanup()
})

describe('creating a share link', () => {
  it.each<[ActorName, number]>([
    ['admin', 201],
    ['doctor', 201],
    ['otherDoctor', 403],
    ['patient', 403],
    ['otherPatient', 403],
    ['anonymous', 401],
  ])('should answer %s sharing the own consultation with %i', async (actor, status) => {
    expect((await createLink(actor, { consultation: clinic.consultations.own })).status).toBe(status)
  })

  it.each<[ActorName, number]>([
    ['admin', 201],
    ['doctor', 201],
    // otherDoctor also had a consultation with the patient (see beforeAll): the lesion's read access.
    ['otherDoctor', 201],
    ['patient', 403],
    ['otherPatient', 403],
    ['anonymous', 401],
  ])('should answer %s sharing the patient’s lesion with %i', async (actor, status) => {
    expect((await createLink(actor, { lesion: lesion.id })).status).toBe(status)
  })

  it('should refuse a doctor sharing a lesion of a patient they have no consultation with', async () => {
    const other = await ctx.payload.create({
      collection: 'lesions',
      data: { label: 'Naevus back', patient: clinic.otherPatient.id } as never,
      overrideAccess: true,
    })
    expect((await createLink('doctor', { lesion: other.id })).status).toBe(403)
  })

  it.each([
    ['neither target', {}],
    ['both targets', { consultation: 1, lesion: 1 }],
  ])('should answer 400 for a link naming %s', async (_, target) => {
    const res = await createLink('admin', target)
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain(shareTargetMessage)
  })

  it.each([
    ['in the past', inDays(-1)],
    ['beyond shareLinks.maxDays (30)', inDays(31)],
    ['not a date', 'soon'],
  ])('should answer 400 for an expiry %s', async (_, expiresAt) => {
    const res = await createLink('doctor', { consultation: clinic.consultations.own, expiresAt })
    expect(res.status).toBe(400)
    expect((await ctx.payload.count({ collection: 'share-links', where: { expiresAt: { equals: expiresAt } } })).totalDocs).toBe(0)
  })

  it('should default the expiry to 7 days', async () => {
    const doc = await linkFor({ consultation: clinic.consultations.own })
    expect(Math.abs(Date.parse(doc.expiresAt as string) - Date.now() - 7 * dayMs)).toBeLessThan(60_000)
  })

  it('should refuse a note longer than 1000 characters', async () => {
    expect((await createLink('doctor', { consultation: clinic.consultations.own, note: 'x'.repeat(1001) })).status).toBe(400)
  })

  it('should set createdBy to the creator whatever the client sends', async () => {
    const doc = await linkFor({ consultation: clinic.consultations.own, createdBy: clinic.admin.id, revokedAt: inDays(0) })
    expect(doc.createdBy).toMatchObject({ id: clinic.doctor.id })
    expect(doc.revokedAt).toBeNull()
  })

  it('should return a 256-bit base64url token and its URL once, and store only its SHA-256', async () => {
    const doc = await linkFor({ consultation: clinic.consultations.own })
    expect(doc.token).toMatch(/^[\w-]{43}$/)
    expect(doc.url).toBe(`/share/${doc.token}`)
    const { rows } = await pool.query('SELECT * FROM share_links WHERE id = $1', [doc.id])
    expect(rows[0].token_hash).toBe(createHash('sha256').update(doc.token).digest('hex'))
    expect(JSON.stringify(rows)).not.toContain(doc.token)
    const read = await api.request('GET', `/share-links/${doc.id}`, { token: clinic.doctor.token })
    const body = JSON.stringify(await read.json())
    expect(body).not.toContain(doc.token)
    expect(body).not.toContain('tokenHash')
  })

  it('should record the creation as a share event of the patient', async () => {
    const doc = await linkFor({ consultation: clinic.consultations.own })
    expect(await lastEvents(1)).toEqual([
      {
        action: 'share',
        channel: 'rest',
        consultation: String(clinic.consultations.own),
        document_collection: 'share-links',
        document_id: String(doc.id),
        patient: String(clinic.patient.id),
        status: null,
        variant: 'create',
      },
    ])
  })
})

describe('reading and changing share links', () => {
  let link: Created['doc']

  beforeAll(async () => {
    link = await linkFor({ consultation: clinic.consultations.own, note: 'Please look at the left shoulder.' })
  })

  it.each<[ActorName, number]>([
    ['admin', 200],
    ['doctor', 200],
    ['otherDoctor', 404],
    ['patient', 404],
    ['otherPatient', 404],
    ['anonymous', 401],
  ])('should answer %s reading the doctor’s link with %i', async (actor, status) => {
    expect((await api.request('GET', `/share-links/${link.id}`, { token: tokenOf(clinic, actor) })).status).toBe(status)
  })

  it('should list no link to a patient, not even those about them', async () => {
    const res = await api.request('GET', '/share-links?limit=100', { token: clinic.patient.token })
    expect([res.status, ((await res.json()) as { totalDocs: number }).totalDocs]).toEqual([200, 0])
  })

  it('should list to a doctor only the links they created', async () => {
    await linkFor({ consultation: clinic.consultations.other }, 'admin')
    const res = await api.request('GET', '/share-links?limit=100&depth=0', { token: clinic.doctor.token })
    const creators = ((await res.json()) as { docs: { createdBy: number }[] }).docs.map((doc) => doc.createdBy)
    expect(new Set(creators)).toEqual(new Set([clinic.doctor.id]))
  })

  it.each<[string, () => Record<string, unknown>]>([
    ['note', () => ({ note: 'changed' })],
    ['expiresAt', () => ({ expiresAt: inDays(20) })],
    ['hideIdentity', () => ({ hideIdentity: true })],
    ['consultation', () => ({ consultation: clinic.consultations.other })],
    ['lesion', () => ({ lesion: lesion.id })],
  ])('should refuse changing %s after creation with 400 and keep the link', async (_, body) => {
    const res = await api.request('PATCH', `/share-links/${link.id}`, { body: body(), token: clinic.doctor.token })
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain(shareFrozenMessage)
    const stored = await ctx.payload.findByID({ collection: 'share-links', depth: 0, id: link.id, overrideAccess: true })
    expect(stored).toMatchObject({ consultation: clinic.consultations.own, expiresAt: link.expiresAt, hideIdentity: false, lesion: null, note: 'Please look at the left shoulder.' })
  })

  it('should refuse another doctor revoking the link with 404', async () => {
    const res = await api.request('PATCH', `/share-links/${link.id}`, { body: { revokedAt: inDays(0) }, token: clinic.otherDoctor.token })
    expect(res.status).toBe(404)
  })

  it.each<[ActorName, number]>([
    ['admin', 403],
    ['doctor', 403],
    ['anonymous', 401],
  ])('should refuse %s deleting a link with %i', async (actor, status) => {
    expect((await api.request('DELETE', `/share-links/${link.id}`, { token: tokenOf(clinic, actor) })).status).toBe(status)
  })
})

describe('the public gallery of a link', () => {
  it('should show a consultation link’s second-opinion images, and nothing else', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    const view = await gallery(link.token)
    expect(view.images).toHaveLength(3)
    expect(view.images.map((image) => image.key)).not.toContain(undefined)
    const own = await ctx.payload.find({ collection: 'consultation-images', depth: 0, limit: 100, overrideAccess: true, where: { consultation: { equals: clinic.consultations.own } } })
    expect(own.docs.length).toBeGreaterThan(view.images.length)
  })

  it('should answer with no-store, no-referrer and noindex headers', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    const res = await open(link.token)
    expect(Object.fromEntries(['cache-control', 'referrer-policy', 'x-robots-tag'].map((name) => [name, res.headers.get(name)]))).toEqual({
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex, nofollow',
    })
  })

  it('should show the patient’s name and dates when identity is not hidden', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own, note: 'Thoughts on the dermoscopy?' })
    const view = await gallery(link.token)
    expect(view.patient?.name).toBe(clinic.patient.user.name)
    expect(view.images[0]?.capturedAt).toEqual(expect.any(String))
    expect(view.note).toBe('Thoughts on the dermoscopy?')
    expect(view.expiresAt).toBe(link.expiresAt)
  })

  it('should leave no name, ID, file name or date in the JSON when identity is hidden', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own, hideIdentity: true })
    const view = await gallery(link.token)
    const body = JSON.stringify(view)
    const images = await ctx.payload.find({ collection: 'consultation-images', depth: 0, overrideAccess: true, pagination: false })
    const forbidden = [
      clinic.patient.user.name as string,
      clinic.patient.email,
      ...images.docs.flatMap((doc) => [doc.filename, doc.originalFilename].filter((name): name is string => typeof name === 'string')),
    ]
    expect(forbidden.filter((text) => body.includes(text))).toEqual([])
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/)
    expect(body).not.toMatch(/"(id|patient|consultation|capturedAt|createdAt|expiresAt|filename)":/)
    expect(view.images.map((image) => image.day)).toEqual([0, 0, 0])
  })

  it('should leave no name, ID or date in the page HTML when identity is hidden', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own, hideIdentity: true })
    const html = renderToString(React.createElement(SharedGallery, { language: 'en', view: await gallery(link.token) }))
    expect(html).toContain('Patient identity hidden')
    expect(html).toContain('Day 0')
    expect(html).not.toContain(clinic.patient.user.name as string)
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}|\b20\d\d\b/)
    expect(html).not.toContain(`"${String(clinic.consultations.own)}"`)
  })

  it('should leave the images’ free-text descriptions out of the JSON and the page when identity is hidden', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own, hideIdentity: true, note: 'Excise?' })
    const view = await gallery(link.token)
    const html = renderToString(React.createElement(SharedGallery, { language: 'en', view }))
    expect([JSON.stringify(view).includes('Asymmetric naevus'), html.includes('Asymmetric naevus'), view.images.some((image) => 'description' in image)]).toEqual([false, false, false])
    expect([view.note, html.includes('Excise?')]).toEqual(['Excise?', true])
  })

  it('should show the images’ descriptions when identity is not hidden', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    const view = await gallery(link.token)
    const html = renderToString(React.createElement(SharedGallery, { language: 'en', view }))
    expect([view.images.map((image) => image.description).filter(Boolean), html.includes('Asymmetric naevus')]).toEqual([['Asymmetric naevus'], true])
  })

  it('should frame the gallery and the not-found page with the same header, in the page’s language', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    const view = await gallery(link.token)
    const headerOf = (element: React.ReactElement) => /<header[^>]*>.*?<\/header>/.exec(renderToString(element))?.[0]
    const headers = (['en', 'fr'] as const).map((language) => [
      headerOf(React.createElement(SharedGallery, { language, view })),
      headerOf(React.createElement(ShareNotFound, { language })),
    ])
    expect(headers.map(([page, notFound]) => page === notFound)).toEqual([true, true])
    expect(headers.map(([page]) => page?.replace(/<[^>]+>/g, ' ').trim().replace(/\s+/g, ' '))).toEqual(['Derma Images Second opinion', 'Derma Images Second avis'])
  })

  it('should render the page in French with the patient’s name when identity is shown', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    const html = renderToString(React.createElement(SharedGallery, { language: 'fr', view: await gallery(link.token) }))
    expect(html).toContain(clinic.patient.user.name as string)
    expect(html).toContain('Ce lien est valable jusqu’au')
  })

  it('should include a lesion’s consented images across the doctor’s consultations, not another doctor’s', async () => {
    const link = await linkFor({ lesion: lesion.id })
    const view = await gallery(link.token)
    expect(view.images).toHaveLength(lesion.own.length)
    expect(view.target).toBe('lesion')
    expect(view.lesion?.label).toBe('Mole left shoulder #2')
  })

  it('should include in another doctor’s lesion link only the images of their own consultation', async () => {
    const link = await linkFor({ lesion: lesion.id }, 'otherDoctor')
    expect((await gallery(link.token)).images).toHaveLength(1)
  })

  it('should include every consented image of the lesion in an admin’s link', async () => {
    const link = await linkFor({ lesion: lesion.id }, 'admin')
    expect((await gallery(link.token)).images).toHaveLength(lesion.own.length + 1)
  })

  it('should serve thumbnail, preview and original bytes through the link, each audited', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    const [image] = (await gallery(link.token)).images
    const urls = [image?.sizes.thumbnail?.url, image?.sizes.preview?.url, image?.original.url]
    const responses = await Promise.all(urls.map((url) => viaApi(url ?? '/')))
    expect(responses.map((res) => [res.status, res.headers.get('content-type'), res.headers.get('referrer-policy')])).toEqual(
      urls.map(() => [200, 'image/jpeg', 'no-referrer']),
    )
    const bytes = Buffer.from(await responses[2]!.arrayBuffer())
    expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8')
    const events = await lastEvents(3)
    expect(events.map((event) => [event.action, event.channel, event.document_id, event.patient, event.status])).toEqual(
      urls.map(() => ['share-open', 'share', String(link.id), String(clinic.patient.id), 200]),
    )
    expect(events.map((event) => (event.variant as string).split(':')[0]).sort()).toEqual(['original', 'preview', 'thumbnail'])
  })

  it('should record the opening with the link, consultation and patient', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    await open(link.token)
    expect(await lastEvents(1)).toEqual([
      {
        action: 'share-open',
        channel: 'share',
        consultation: String(clinic.consultations.own),
        document_collection: 'share-links',
        document_id: String(link.id),
        patient: String(clinic.patient.id),
        status: 200,
        variant: 'gallery',
      },
    ])
  })

  it('should drop an image from the gallery and its files at once when its consent is withdrawn', async () => {
    const image = await uploadAs(ctx.payload, clinic.doctor, clinic.consultations.own, withSecondOpinion, 31)
    const link = await linkFor({ consultation: clinic.consultations.own })
    const before = await gallery(link.token)
    expect(before.images).toHaveLength(consented.length + 1)
    const res = await api.request('PATCH', `/consultation-images/${image.id}`, { body: { consentScopes: ['care'] }, token: clinic.doctor.token })
    expect(res.status).toBe(200)
    const after = await gallery(link.token)
    expect(after.images).toHaveLength(consented.length)
    const gone = before.images.find((entry) => !after.images.some((kept) => kept.key === entry.key))
    expect(gone).toBeDefined()
    const file = await viaApi(gone?.sizes.thumbnail?.url ?? '/')
    expect(file.status).toBe(404)
    expect((await lastEvents(1))[0]).toMatchObject({ action: 'denied', channel: 'share', document_id: String(link.id), status: 404, variant: 'image' })
  })

  it('should answer 404 for a size that does not exist and for an unknown image key', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    const [image] = (await gallery(link.token)).images
    const statuses = await Promise.all([
      viaApi(image?.original.url.replace(/original$/, 'huge') ?? '/'),
      viaApi(`/api/share/${link.token}/images/AAAAAAAAAAAAAAAAAAAAAA/thumbnail`),
    ])
    expect(statuses.map((res) => res.status)).toEqual([404, 404])
  })
})

describe('paths and methods the share routes do not have', () => {
  it.each([
    ['GET', '/images'],
    ['GET', '/images/x'],
    ['GET', '/whatever/else/here'],
    ['POST', ''],
    ['DELETE', ''],
    ['PATCH', '/images/x/original'],
  ] as const)('should answer %s /api/share/<token>%s with the share 404 and headers, never echoing the token', async (method, rest) => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    const res = await api.request(method, `/share/${link.token}${rest}` as `/${string}`)
    const text = await res.text()
    expect({
      body: JSON.parse(text) as unknown,
      cache: res.headers.get('cache-control'),
      echoesToken: text.includes(link.token),
      referrer: res.headers.get('referrer-policy'),
      status: res.status,
    }).toEqual({ body: { errors: [{ message: shareNotFoundMessage }] }, cache: 'no-store', echoesToken: false, referrer: 'no-referrer', status: 404 })
  })
})

describe('links that no longer open', () => {
  it('should answer 404 at once after revocation, for the gallery and its files, and audit both', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    const [image] = (await gallery(link.token)).images
    const revoke = await api.request('PATCH', `/share-links/${link.id}`, { body: { revokedAt: '2000-01-01T00:00:00.000Z' }, token: clinic.doctor.token })
    expect(revoke.status).toBe(200)
    const stored = ((await revoke.json()) as { doc: { revokedAt: string; revokedBy: { id: number } } }).doc
    expect(Math.abs(Date.parse(stored.revokedAt) - Date.now())).toBeLessThan(60_000)
    expect(stored.revokedBy.id).toBe(clinic.doctor.id)
    const responses = [await open(link.token), await viaApi(image?.sizes.thumbnail?.url ?? '/')]
    expect(await Promise.all(responses.map(async (res) => [res.status, await res.json()]))).toEqual(
      responses.map(() => [404, { errors: [{ message: shareNotFoundMessage }] }]),
    )
    const events = await lastEvents(3)
    expect(events[0]).toMatchObject({ action: 'share', document_id: String(link.id), variant: 'revoke' })
    expect(events.slice(1)).toEqual(
      [1, 2].map(() => ({
        action: 'denied',
        channel: 'share',
        consultation: String(clinic.consultations.own),
        document_collection: 'share-links',
        document_id: String(link.id),
        patient: String(clinic.patient.id),
        status: 404,
        variant: 'revoked',
      })),
    )
  })

  it('should keep a revoked link revoked', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    await api.request('PATCH', `/share-links/${link.id}`, { body: { revokedAt: true }, token: clinic.doctor.token })
    const first = await ctx.payload.findByID({ collection: 'share-links', id: link.id, overrideAccess: true })
    await api.request('PATCH', `/share-links/${link.id}`, { body: { revokedAt: null }, token: clinic.admin.token })
    const second = await ctx.payload.findByID({ collection: 'share-links', id: link.id, overrideAccess: true })
    expect(second.revokedAt).toBe(first.revokedAt)
    expect((await open(link.token)).status).toBe(404)
  })

  it('should answer 404 for an expired link and audit it', async () => {
    const link = await linkFor({ lesion: lesion.id, expiresAt: inDays(1) })
    await pool.query("UPDATE share_links SET expires_at = now() - interval '1 minute' WHERE id = $1", [link.id])
    expect((await open(link.token)).status).toBe(404)
    expect(await lastEvents(1)).toEqual([
      {
        action: 'denied',
        channel: 'share',
        consultation: null,
        document_collection: 'share-links',
        document_id: String(link.id),
        patient: String(clinic.patient.id),
        status: 404,
        variant: 'expired',
      },
    ])
  })

  it.each([
    ['a well-formed unknown token', 'A'.repeat(43)],
    ['a malformed token', 'not-a-token'],
  ])('should answer 404 for %s and audit it with no patient', async (_, token) => {
    const res = await open(token)
    expect([res.status, res.headers.get('cache-control'), await res.json()]).toEqual([404, 'no-store', { errors: [{ message: shareNotFoundMessage }] }])
    expect(await lastEvents(1)).toEqual([
      { action: 'denied', channel: 'share', consultation: null, document_collection: 'share-links', document_id: null, patient: null, status: 404, variant: 'unknown' },
    ])
  })

  it('should answer 404 once the consultation is no longer the creator’s', async () => {
    const consultation = await ctx.payload.create({
      collection: 'consultations',
      data: { doctor: clinic.doctor.id, patient: clinic.patient.id, reason: 'Handover' } as never,
      overrideAccess: true,
    })
    await uploadAs(ctx.payload, clinic.doctor, consultation.id, withSecondOpinion, 41)
    const link = await linkFor({ consultation: consultation.id })
    expect((await open(link.token)).status).toBe(200)
    await ctx.payload.update({ collection: 'consultations', data: { doctor: clinic.otherDoctor.id }, id: consultation.id, overrideAccess: true })
    expect((await open(link.token)).status).toBe(404)
    expect((await lastEvents(1))[0]).toMatchObject({ action: 'denied', variant: 'withdrawn' })
  })

  it('should send nothing and answer 503 when the opening cannot be audited', async () => {
    const link = await linkFor({ consultation: clinic.consultations.own })
    const error = jest.spyOn(ctx.payload.logger, 'error').mockImplementation(() => undefined)
    await pool.query('ALTER TABLE audit_events RENAME TO audit_events_unavailable')
    try {
      const res = await open(link.token)
      expect([res.status, JSON.stringify(await res.json()).includes('"images"')]).toEqual([503, false])
    } finally {
      await pool.query('ALTER TABLE audit_events_unavailable RENAME TO audit_events')
      error.mockRestore()
    }
  })
})

describe('the token in logs', () => {
  it('should never write a token to the logs, even when a request fails', async () => {
    const written: string[] = []
    const capture = (stream: NodeJS.WriteStream) =>
      jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
        written.push(String(chunk))
        return true
      }))
    const spies = [capture(process.stdout), capture(process.stderr)]
    const logger = (['debug', 'error', 'info', 'warn'] as const).map((level) =>
      jest.spyOn(ctx.payload.logger, level).mockImplementation(((...args: unknown[]) => {
        written.push(JSON.stringify(args, (_, value: unknown) => (value instanceof Error ? `${value.message} ${value.stack ?? ''}` : value)))
      })),
    )
    const link = await linkFor({ consultation: clinic.consultations.own })
    try {
      const [image] = (await gallery(link.token)).images
      await viaApi(image?.sizes.preview?.url ?? '/')
      await pool.query('ALTER TABLE audit_events RENAME TO audit_events_unavailable')
      await open(link.token)
      await viaApi(image?.sizes.thumbnail?.url ?? '/')
      await pool.query('ALTER TABLE audit_events_unavailable RENAME TO audit_events')
      await api.request('PATCH', `/share-links/${link.id}`, { body: { revokedAt: true }, token: clinic.doctor.token })
      await open(link.token)
    } finally {
      await pool.query('ALTER TABLE IF EXISTS audit_events_unavailable RENAME TO audit_events')
      for (const spy of [...spies, ...logger]) {
        spy.mockRestore()
      }
    }
    expect(written.length).toBeGreaterThan(0)
    expect(written.filter((line) => line.includes(link.token))).toEqual([])
  })
})
