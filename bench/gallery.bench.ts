/**
 * `npm run bench:gallery [-- --images 200 --runs 7]`: a consultation with 200 images, opened in
 * Chromium against the production build (`next build` + `next start`, as the browser tests run it).
 *
 * (a) the gallery: from the click on the "Images" tab until every thumbnail of the first screen
 *     has loaded and decoded, with the bytes fetched meanwhile by kind (thumbnails, previews,
 *     originals, API JSON, scripts and styles);
 * (b) baseline, same run, same cold cache: a bare page on the same origin with <img> tags for the
 *     same first-screen thumbnails, until they have loaded. a − b is what the gallery itself costs.
 * Runs alternate (a, b, a, b…), each in a new browser context (empty cache, new login cookie).
 */
import type { Browser, Page } from 'playwright-core'

import os from 'node:os'
import { parseArgs } from 'node:util'
import sharp from 'sharp'

import { startApp } from '../test/e2e/helpers/app.js'
import { launchBrowser } from '../test/e2e/helpers/browser.js'
import { loadAverage } from './lib/load.js'
import { ms, ratio, summarize } from './lib/stats.js'

const { values } = parseArgs({
  options: { images: { default: '200', type: 'string' }, runs: { default: '7', type: 'string' } },
})
const imageCount = Math.min(500, Math.max(1, Number(values.images)))
const runs = Math.min(30, Math.max(1, Number(values.runs)))
const doctor = { email: 'dr.martin@clinic.test', password: 'demo-doctor-2026' }

type Kind = 'api' | 'original' | 'other' | 'preview' | 'thumbnail'
type Measurement = { bytes: Record<Kind, number>; ms: number; thumbnails: number }

/** A varied, photo-like 1600×1200 JPEG (~150 KB): a skin tone, a lesion, some noise. */
const photo = (seed: number): Promise<Buffer> => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200">
    <rect width="100%" height="100%" fill="rgb(${195 + (seed % 40)},${150 + (seed % 35)},${120 + (seed % 25)})"/>
    <ellipse cx="${600 + ((seed * 37) % 400)}" cy="${450 + ((seed * 53) % 300)}" rx="${90 + (seed % 60)}" ry="${70 + (seed % 50)}" fill="rgb(90,60,40)"/>
  </svg>`
  return sharp(Buffer.from(svg)).blur(2).jpeg({ quality: 90 }).toBuffer()
}

const kindOf = (url: string, thumbnails: Set<string>, previews: Set<string>, originals: Set<string>): Kind => {
  const { pathname } = new URL(url)
  if (thumbnails.has(pathname)) return 'thumbnail'
  if (previews.has(pathname)) return 'preview'
  if (originals.has(pathname)) return 'original'
  return pathname.startsWith('/api/') ? 'api' : 'other'
}

/** Bytes received per request (CDP `encodedDataLength`: headers and body as they came over the wire). */
const recordBytes = async (page: Page, classify: (url: string) => Kind) => {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  const urls = new Map<string, string>()
  const bytes: Record<Kind, number> = { api: 0, original: 0, other: 0, preview: 0, thumbnail: 0 }
  cdp.on('Network.requestWillBeSent', (event: { request: { url: string }; requestId: string }) => {
    urls.set(event.requestId, event.request.url)
  })
  cdp.on('Network.loadingFinished', (event: { encodedDataLength: number; requestId: string }) => {
    const url = urls.get(event.requestId)
    if (url) {
      bytes[classify(url)] += event.encodedDataLength
    }
  })
  return { bytes, reset: () => { (Object.keys(bytes) as Kind[]).forEach((kind) => (bytes[kind] = 0)); } }
}

/** Resolves when every <img> matching `selector` that intersects the viewport has loaded and decoded. */
const firstScreenLoaded = (page: Page, selector: string) =>
  page.waitForFunction(
    (css) => {
      const inView = [...document.querySelectorAll<HTMLImageElement>(css)].filter((image) => {
        const box = image.getBoundingClientRect()
        return box.bottom > 0 && box.top < window.innerHeight && box.width > 0
      })
      return inView.length > 0 && inView.every((image) => image.complete && image.naturalWidth > 0) ? inView.length : 0
    },
    selector,
    { polling: 'raf', timeout: 60_000 },
  )

const measureGallery = async (browser: Browser, baseURL: string, consultation: number, classify: (url: string) => Kind): Promise<Measurement> => {
  const context = await browser.newContext({ baseURL, viewport: { height: 900, width: 1440 } })
  try {
    const page = await context.newPage()
    await page.request.post('/api/users/login', { data: doctor })
    const recorder = await recordBytes(page, classify)
    await page.goto(`/admin/collections/consultations/${consultation}`)
    await page.getByRole('button', { exact: true, name: 'Images' }).waitFor()
    recorder.reset()
    const started = Date.now()
    await page.getByRole('button', { exact: true, name: 'Images' }).click()
    const shown = await firstScreenLoaded(page, '.derma-image-tile img')
    const elapsed = Date.now() - started
    return { bytes: { ...recorder.bytes }, ms: elapsed, thumbnails: (await shown.jsonValue()) }
  } finally {
    await context.close()
  }
}

const measureBarePage = async (browser: Browser, baseURL: string, urls: string[], classify: (url: string) => Kind): Promise<Measurement> => {
  const context = await browser.newContext({ baseURL, viewport: { height: 900, width: 1440 } })
  try {
    const page = await context.newPage()
    await page.request.post('/api/users/login', { data: doctor })
    await page.goto('/api/users/me')
    const recorder = await recordBytes(page, classify)
    recorder.reset()
    const started = Date.now()
    await page.evaluate((sources) => {
      document.body.innerHTML = sources.map((src) => `<img src="${src}" width="300" height="300" style="width:230px;height:230px">`).join('')
    }, urls)
    const shown = await firstScreenLoaded(page, 'img')
    const elapsed = Date.now() - started
    return { bytes: { ...recorder.bytes }, ms: elapsed, thumbnails: (await shown.jsonValue()) }
  } finally {
    await context.close()
  }
}

const app = await startApp('bench_gallery')
const browser = await launchBrowser()
try {
  const { payload } = app
  const users = await payload.find({
    collection: 'users',
    // Benchmark set-up: the seeded demo accounts.
    overrideAccess: true,
    where: { email: { in: [doctor.email, 'patient.durand@clinic.test'] } },
  })
  const idOf = (email: string) => users.docs.find((user) => user.email === email)?.id
  const consultation = await payload.create({
    collection: 'consultations',
    data: { doctor: idOf(doctor.email), patient: idOf('patient.durand@clinic.test'), reason: 'Total-body photography follow-up' } as never,
    // Benchmark set-up, not a user's action.
    overrideAccess: true,
  })
  const setupStarted = Date.now()
  for (let index = 0; index < imageCount; index++) {
    const data = await photo(index)
    await payload.create({
      collection: 'consultation-images',
      data: { acquisition: index % 3 === 0 ? 'dermoscopic' : 'clinical-close-up', bodySite: 'upper-back', consultation: consultation.id } as never,
      file: { data, mimetype: 'image/jpeg', name: `photo-${index}.jpg`, size: data.length },
      // Benchmark set-up, not a user's action.
      overrideAccess: true,
    })
  }
  process.stderr.write(`[bench] ${imageCount} images stored in ${((Date.now() - setupStarted) / 1000).toFixed(0)} s\n`)

  const all = await payload.find({
    collection: 'consultation-images',
    limit: imageCount,
    // Benchmark set-up: the files' URLs, to classify what the browser downloads.
    overrideAccess: true,
    sort: ['-isPrimary', '-createdAt'],
    where: { consultation: { equals: consultation.id } },
  })
  type Doc = { sizes?: { preview?: { url?: string }; thumbnail?: { url?: string } }; url?: string }
  const docs = all.docs as unknown as Doc[]
  const pathsOf = (pick: (doc: Doc) => string | undefined) => new Set(docs.flatMap((doc) => (pick(doc) ? [pick(doc) as string] : [])))
  const thumbnails = pathsOf((doc) => doc.sizes?.thumbnail?.url)
  const previews = pathsOf((doc) => doc.sizes?.preview?.url)
  const originals = pathsOf((doc) => doc.url)
  const classify = (url: string) => kindOf(url, thumbnails, previews, originals)

  // Warm the server (first render compiles nothing in production, but fills Payload's caches).
  await measureGallery(browser, app.baseURL, consultation.id, classify)
  const gallery: Measurement[] = []
  const bare: Measurement[] = []
  for (let run = 0; run < runs; run++) {
    gallery.push(await measureGallery(browser, app.baseURL, consultation.id, classify))
    const firstScreen = docs.slice(0, gallery.at(-1)?.thumbnails ?? 12).map((doc) => doc.sizes?.thumbnail?.url ?? '')
    bare.push(await measureBarePage(browser, app.baseURL, firstScreen, classify))
  }
  const a = summarize(gallery.map((m) => m.ms))
  const b = summarize(bare.map((m) => m.ms))
  const kb = (bytes: number) => (bytes / 1024).toFixed(1)
  const medianBytes = (list: Measurement[], kind: Kind) => summarize(list.map((m) => m.bytes[kind])).median
  const lines = [
    `Gallery benchmark, ${new Date().toISOString()}`,
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load ${await loadAverage()}`,
    `consultation with ${imageCount} images; viewport 1440×900; ${runs} runs each, alternating, cold cache each run`,
    `first screen: ${gallery[0]?.thumbnails ?? 0} thumbnails`,
    '',
    '| measurement | median ms | p90 ms | min ms |',
    '|---|---:|---:|---:|',
    `| (a) gallery: click on "Images" → first screen of thumbnails decoded | ${ms(a.median)} | ${ms(a.p90)} | ${ms(a.min)} |`,
    `| (b) bare page, same thumbnails, same origin | ${ms(b.median)} | ${ms(b.p90)} | ${ms(b.min)} |`,
    `| a / b | ${ratio(a.median / b.median)} | | |`,
    '',
    '| bytes during (a), median | KiB |',
    '|---|---:|',
    ...(['thumbnail', 'preview', 'original', 'api', 'other'] as const).map((kind) => `| ${kind} | ${kb(medianBytes(gallery, kind))} |`),
    `| thumbnails in (b) | ${kb(medianBytes(bare, 'thumbnail'))} |`,
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
} finally {
  await browser.close()
  await app.stop()
}
