/**
 * API benchmark: `npx tsx --expose-gc bench/api.bench.ts` (or `npm run bench:api`).
 *
 * The orchestrator (this file without --phase) runs each phase in a child process of its own, one
 * after the other (getPayload caches one Payload per process, and memory figures need a fresh
 * process):
 *
 *   list        GET /api/consultations/:id/images?limit=100 (plugin endpoint) interleaved with the
 *               same query through Payload's own REST list (baseline), as the consultation's
 *               doctor, with 10 / 160 / 1 000 / 10 000 / 100 000 rows in the images table (the
 *               listed consultation holds min(150, N − 1) of them, the rest are 20 per other
 *               consultation, half of them the same doctor's); SQL statements per request (pg
 *               Client#query wrapped in this process); EXPLAIN (ANALYZE, BUFFERS) of each of the
 *               plugin request's SELECTs at every N (full plans at the largest N).
 *   zip         GET /api/consultations/:id/images/download of 100 distinct 1–3 MB JPEGs, streamed
 *               and consumed chunk by chunk, interleaved with reading the same files sequentially
 *               (baseline) and two references (reading + SHA-256 + JS CRC-32; zip-stream alone, the
 *               library the endpoint used before its own STORE writer);
 *               time to first byte; the event loop's longest stall; one CPU profile.
 *   zip-memory  peak RSS (sampled every 10 ms) while streaming 10 vs 400 images, fresh process.
 *
 * Each phase writes bench/.tmp/api-bench/<phase>.json; the orchestrator prints the figures and
 * writes results.md and results.json there. Everything runs in-process (the real Next route
 * handlers) or on loopback (PostgreSQL on 127.0.0.1). Databases and upload directories made here are
 * removed at the end of each phase, even on failure.
 *
 * Options: --requests N (measured requests per endpoint and size, default 50, at most 200),
 * --warmup N (default 5, at most 20), --tiers 10,160,1000,10000,100000 (ascending, each ≤ 100 000),
 * --zip-runs N (default 10, at most 30), --zip-warmup N (default 2, at most 5),
 * --memory-rounds N (default 3, at most 5), --only list,zip,zip-memory.
 */
import type pg from 'pg'
import type { Payload } from 'payload'

import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import yauzl from 'yauzl'

import type { CpuSummary } from './lib/cpuProfile.js'
import type { Quiet } from './lib/load.js'
import type { Consumed, StoredTemplate } from './lib/api-zip.js'
import type { Statement } from './lib/api-sql.js'
import type { Clinic } from '../test/helpers/clinic.js'
import type { RestClient } from '../test/helpers/rest.js'

import { cloneConsultations, cloneImageRows, connect, describeStatement, ensureOnePrimary, explain, installStatementCounter, scanSummary } from './lib/api-sql.js'
import { cloneImagesWithFiles, consumeBody, ensureZipSources, readSequentially, zipStreamAlone } from './lib/api-zip.js'
import { profileCpu } from './lib/cpuProfile.js'
import { loadAverage, waitForQuiet } from './lib/load.js'
import { median, percentile } from './lib/stats.js'

const benchDir = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(benchDir, '..')
const tmpDir = path.join(benchDir, '.tmp', 'api-bench')

const { values: cli } = parseArgs({
  options: {
    'memory-rounds': { default: '3', type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
    phase: { type: 'string' },
    requests: { default: '50', type: 'string' },
    tiers: { default: '10,160,1000,10000,100000', type: 'string' },
    warmup: { default: '5', type: 'string' },
    'zip-runs': { default: '10', type: 'string' },
    'zip-warmup': { default: '2', type: 'string' },
  },
})
const bounded = (value: string | undefined, fallback: number, min: number, max: number): number => {
  const parsed = Number(value)
  return Math.min(max, Math.max(min, Number.isFinite(parsed) ? Math.trunc(parsed) : fallback))
}
const REQUESTS = bounded(cli.requests, 50, 1, 200)
const WARMUP = bounded(cli.warmup, 5, 0, 20)
const ZIP_RUNS = bounded(cli['zip-runs'], 10, 1, 30)
const ZIP_WARMUP = bounded(cli['zip-warmup'], 2, 0, 5)
const MEMORY_ROUNDS = bounded(cli['memory-rounds'], 3, 1, 5)
const TIERS = cli.tiers
  .split(',')
  .map((value) => bounded(value, 10, 2, 100_000))
  .slice(0, 6)
if (TIERS.some((tier, index) => index > 0 && tier <= (TIERS[index - 1] ?? 0))) {
  throw new Error('--tiers must be ascending')
}
const LISTED_MAX = 150
const PER_OTHER_CONSULTATION = 20
const ZIP_IMAGES = 100
/** 10 vs 400 is the comparison; 100 in between shows whether a difference is growth or GC timing. */
const MEMORY_SIZES = [10, 100, 400] as const
const REQUEST_TIMEOUT_MS = 60_000
const ZIP_TIMEOUT_MS = 300_000
const PHASE_TIMEOUT_MS = 30 * 60_000
const RSS_SAMPLE_MS = 10
const QUIET_EVERY = 10

const gc = (globalThis as { gc?: () => void }).gc

/** Rejects when `promise` has not settled after `timeoutMs`: no run can hang the benchmark. */
const withTimeout = async <T>(promise: Promise<T>, timeoutMs: number, label: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`${label} took longer than ${timeoutMs} ms`))
        }, timeoutMs)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

const settle = async (): Promise<void> => {
  gc?.()
  await sleep(50)
}

/** What the machine was doing before measured rounds (see lib/load.ts). */
const quietLog: Quiet[] = []
const quiet = async (): Promise<void> => {
  quietLog.push(await waitForQuiet())
}

const writeResult = async (data: Record<string, unknown>): Promise<void> => {
  if (!cli.out) {
    throw new Error('--out is required for a phase')
  }
  await fs.writeFile(cli.out, JSON.stringify({ ...data, loadAverageAtEnd: await loadAverage(), quiet: quietLog }, null, 2))
}

const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a')
const mb = (bytes: number): number => bytes / 1e6

// ---------------------------------------------------------------------------------------------
// Set-up shared by the phases
// ---------------------------------------------------------------------------------------------

type Setup = { api: RestClient; client: pg.Client; clinic: Clinic; payload: Payload; uploadsDir: string }

/** The demo config on a fresh migrated database (test/helpers), a clinic, and an SQL connection. */
const withSetup = async (label: string, run: (setup: Setup) => Promise<void>): Promise<void> => {
  const [{ startPayload }, { createClinic }, { createRestClient }] = await Promise.all([
    import('../test/helpers/payload.js'),
    import('../test/helpers/clinic.js'),
    import('../test/helpers/rest.js'),
  ])
  const ctx = await startPayload(label)
  let client: pg.Client | undefined
  try {
    const clinic = await createClinic(ctx.payload)
    client = await connect(process.env.DATABASE_URI ?? '')
    await run({ api: createRestClient(ctx.payload.config), client, clinic, payload: ctx.payload, uploadsDir: ctx.uploadsDir })
  } finally {
    await client?.end().catch(() => undefined)
    await ctx.cleanup()
  }
}

type ImageDoc = { filename: string; filesize: number; id: number; isPrimary?: boolean }

/** A real upload through the REST route handler, as a doctor (multipart, like the admin UI). */
const uploadImage = async (setup: Setup, consultation: number, bytes: Buffer, name: string): Promise<ImageDoc> => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), name)
  form.append('_payload', JSON.stringify({ consultation }))
  const res = await withTimeout(
    setup.api.request('POST', '/consultation-images', { body: form, token: setup.clinic.doctor.token }),
    REQUEST_TIMEOUT_MS,
    'upload',
  )
  const body = (await res.json()) as { doc?: ImageDoc }
  if (res.status !== 201 || !body.doc) {
    throw new Error(`upload: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
  }
  return body.doc
}

/** A consultation of the clinic's doctor and patient, created by the doctor. */
const createConsultation = async ({ clinic, payload }: Setup, reason: string): Promise<number> => {
  const doc = await payload.create({
    collection: 'consultations',
    data: { doctor: clinic.doctor.id, patient: clinic.patient.id, reason } as never,
    overrideAccess: false,
    user: clinic.doctor.user,
  })
  return doc.id
}

const countRows = async (client: pg.Client, consultation: number): Promise<{ listed: number; total: number }> => {
  const { rows } = await client.query<{ listed: string; total: string }>(
    'SELECT count(*) AS total, count(*) FILTER (WHERE consultation_id = $1) AS listed FROM consultation_images',
    [consultation],
  )
  return { listed: Number(rows[0]?.listed), total: Number(rows[0]?.total) }
}

// ---------------------------------------------------------------------------------------------
// Phase: list
// ---------------------------------------------------------------------------------------------

type ListTier = {
  bytes: { plugin: number; rest: number }
  listed: number
  returned: number
  /** The count statement's EXPLAIN ANALYZE with the (consultation_id, id) index dropped (as before it existed). */
  countWithoutIndex?: { executionMs: number; scans: string[] }
  /** EXPLAIN ANALYZE of each plugin SELECT at this size (second of two runs). */
  plans: { executionMs: number; kind: string; scans: string[] }[]
  statementKinds: { plugin: string[]; rest: string[] }
  statements: { plugin: number[]; rest: number[] }
  timings: { plugin: number[]; rest: number[] }
  total: number
}

type Explained = { kind: string; plan: string[]; sql: string }

const listPhase = async (): Promise<void> => {
  const { makeJpeg } = await import('../test/helpers/images.js')
  await withSetup('bench_api_list', async (setup) => {
    const { api, client, clinic, payload } = setup
    const own = clinic.consultations.own
    const token = clinic.doctor.token
    // A handful of real images through the API; every other row is a clone of these.
    for (let index = 1; index <= 3; index += 1) {
      await uploadImage(setup, own, await makeJpeg({ seed: index * 5 }), `IMG_000${index}.JPG`)
    }
    const templateIds = (
      await client.query<{ id: number }>('SELECT id FROM consultation_images WHERE consultation_id = $1 ORDER BY id', [own])
    ).rows.map((row) => row.id)
    const pairs = [
      { doctor: clinic.doctor.id, patient: clinic.patient.id },
      { doctor: clinic.otherDoctor.id, patient: clinic.otherPatient.id },
    ] as [{ doctor: number; patient: number }, { doctor: number; patient: number }]

    const paths = {
      plugin: `/consultations/${own}/images?limit=100`,
      rest: `/consultation-images?where[consultation][equals]=${own}&limit=100&sort=-isPrimary,-createdAt&depth=0`,
    } as const
    type Name = keyof typeof paths
    const get = async (name: Name): Promise<{ body: string; ms: number }> => {
      const start = performance.now()
      const res = await withTimeout(api.request('GET', paths[name], { token }), REQUEST_TIMEOUT_MS, name)
      const body = await res.text()
      const elapsed = performance.now() - start
      if (res.status !== 200) {
        throw new Error(`${name}: HTTP ${res.status} ${body.slice(0, 300)}`)
      }
      return { body, ms: elapsed }
    }

    const counter = installStatementCounter((payload.db as unknown as { pool: unknown }).pool)
    const tiers: ListTier[] = []
    let explained: { plugin: Explained[]; rest: Explained[]; total: number } | undefined
    try {
      for (const total of TIERS) {
        const target = { listed: Math.min(LISTED_MAX, total - 1), total }
        const now = await countRows(client, own)
        const addListed = target.listed - now.listed
        const addOthers = target.total - target.listed - (now.total - now.listed)
        if (addListed < 0 || addOthers < 0) {
          throw new Error(`tier ${total}: the table already has ${now.total} rows (${now.listed} listed)`)
        }
        await cloneImageRows(client, { consultationIds: [own], count: addListed, offset: now.total, perConsultation: Math.max(1, addListed), templateIds })
        const others = await cloneConsultations(client, { count: Math.ceil(addOthers / PER_OTHER_CONSULTATION), pairs, templateId: own })
        await cloneImageRows(client, { consultationIds: others, count: addOthers, offset: now.total + addListed, perConsultation: PER_OTHER_CONSULTATION, templateIds })
        await ensureOnePrimary(client, others)
        await client.query('VACUUM ANALYZE consultation_images')
        await client.query('VACUUM ANALYZE consultations')
        const rows = await countRows(client, own)
        if (rows.total !== target.total || rows.listed !== target.listed) {
          throw new Error(`tier ${total}: made ${JSON.stringify(rows)}, wanted ${JSON.stringify(target)}`)
        }

        // Same answer from both: same IDs in the same order, primary first.
        const [plugin, rest] = [await get('plugin'), await get('rest')]
        const parse = (body: string) => JSON.parse(body) as { docs: { id: number; isPrimary?: boolean }[]; totalDocs: number }
        const [p, r] = [parse(plugin.body), parse(rest.body)]
        const returned = Math.min(100, target.listed)
        const ids = (list: { id: number }[]) => list.map((doc) => doc.id).join(',')
        if (p.docs.length !== returned || p.totalDocs !== target.listed || ids(p.docs) !== ids(r.docs) || p.docs[0]?.isPrimary !== true) {
          throw new Error(`tier ${total}: plugin and REST disagree (${p.docs.length}/${r.docs.length} docs, totals ${p.totalDocs}/${r.totalDocs})`)
        }

        // Statements per request (untimed requests; the wrapper only records while capturing).
        const statements = { plugin: [] as number[], rest: [] as number[] }
        const kinds = { plugin: [] as string[], rest: [] as string[] }
        const captured: Record<Name, Statement[]> = { plugin: [], rest: [] }
        for (let index = 0; index < 3; index += 1) {
          for (const name of ['plugin', 'rest'] as const) {
            const log = await counter.capture(() => get(name))
            statements[name].push(log.length)
            kinds[name] = log.map((statement) => describeStatement(statement.text))
            captured[name] = log
          }
        }

        console.log(`list: ${total} rows (${target.listed} in the listed consultation), ${WARMUP} warm-up + ${REQUESTS} measured requests each`)
        const timings = { plugin: [] as number[], rest: [] as number[] }
        const bytes = { plugin: plugin.body.length, rest: rest.body.length }
        for (let round = 0; round < WARMUP + REQUESTS; round += 1) {
          if (round % QUIET_EVERY === 0) {
            await quiet()
            await settle()
          }
          const order: Name[] = round % 2 === 0 ? ['plugin', 'rest'] : ['rest', 'plugin']
          for (const name of order) {
            const { ms } = await get(name)
            if (round >= WARMUP) {
              timings[name].push(ms)
            }
          }
        }
        console.log(
          `  plugin median ${fmt(median(timings.plugin))} ms p95 ${fmt(percentile(timings.plugin, 95))} ms, ${statements.plugin.join('/')} statements; ` +
            `REST median ${fmt(median(timings.rest))} ms p95 ${fmt(percentile(timings.rest, 95))} ms, ${statements.rest.join('/')} statements`,
        )
        const plans = async (log: Statement[]): Promise<Explained[]> => {
          const result: Explained[] = []
          for (const statement of log) {
            if (/^\s*select/i.test(statement.text)) {
              await explain(client, statement) // the first run warms the cache
              result.push({ kind: describeStatement(statement.text), plan: await explain(client, statement), sql: statement.text })
            }
          }
          return result
        }
        const pluginPlans = await plans(captured.plugin)
        const executionMs = (plan: string[]) => Number(/Execution Time: ([\d.]+) ms/.exec(plan.join('\n'))?.[1] ?? Number.NaN)
        // Before/after, outside the figures: the count statement again without the migration's
        // (consultation_id, id) index (dropped in this throwaway database, then made again).
        const countStatement = captured.plugin.find((statement) => describeStatement(statement.text).includes('(count)'))
        let countWithoutIndex: { executionMs: number; scans: string[] } | undefined
        if (countStatement) {
          await client.query('DROP INDEX consultation_images_consultation_keyset_idx')
          try {
            await client.query('ANALYZE consultation_images')
            await explain(client, countStatement)
            const plan = await explain(client, countStatement)
            countWithoutIndex = { executionMs: executionMs(plan), scans: scanSummary(plan) }
          } finally {
            await client.query('CREATE INDEX consultation_images_consultation_keyset_idx ON consultation_images USING btree (consultation_id, id)')
            await client.query('ANALYZE consultation_images')
          }
        }
        tiers.push({
          bytes,
          countWithoutIndex,
          listed: target.listed,
          plans: pluginPlans.map((explained) => ({ executionMs: executionMs(explained.plan), kind: explained.kind, scans: scanSummary(explained.plan) })),
          returned,
          statementKinds: kinds,
          statements,
          timings,
          total,
        })
        if (total === TIERS.at(-1)) {
          explained = { plugin: pluginPlans, rest: await plans(captured.rest), total }
        }
      }
    } finally {
      counter.restore()
    }
    await writeResult({ explained, tiers })
  })
}

// ---------------------------------------------------------------------------------------------
// Phases: zip and zip-memory
// ---------------------------------------------------------------------------------------------

/** Uploads the three source photos through the API; they are the templates of every ZIP image. */
const uploadZipSources = async (setup: Setup): Promise<StoredTemplate[]> => {
  const sources = await ensureZipSources(tmpDir)
  const templates: StoredTemplate[] = []
  for (const [index, bytes] of sources.entries()) {
    const doc = await uploadImage(setup, setup.clinic.consultations.own, bytes, `IMG_10${index}.JPG`)
    templates.push({ filename: doc.filename, filesize: doc.filesize, id: doc.id })
  }
  return templates
}

/** A consultation with `count` distinct stored images; returns it and the files' paths in ZIP order. */
const makeZipConsultation = async (setup: Setup, templates: StoredTemplate[], count: number, offset: number) => {
  const consultation = await createConsultation(setup, `ZIP benchmark, ${count} images`)
  const files = await cloneImagesWithFiles(setup.client, { consultationId: consultation, count, offset, templates, uploadsDir: setup.uploadsDir })
  const paths = files.map((file) => path.join(setup.uploadsDir, file))
  const sizes = await Promise.all(paths.map(async (file) => (await fs.stat(file)).size))
  return { consultation, imageBytes: sizes.reduce((sum, size) => sum + size, 0), paths, sizes }
}

const download = async (setup: Setup, consultation: number): Promise<Consumed> => {
  const start = performance.now()
  const res = await setup.api.request('GET', `/consultations/${consultation}/images/download`, { token: setup.clinic.doctor.token })
  if (res.status !== 200) {
    throw new Error(`download: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`)
  }
  return consumeBody(res, start)
}

/** One download saved to a temp file and read back with yauzl: the benchmark measures a real ZIP. */
const validateZip = async (setup: Setup, consultation: number, sizes: number[]): Promise<void> => {
  const file = path.join(os.tmpdir(), `derma-bench-api-${process.pid}.zip`)
  try {
    const res = await setup.api.request('GET', `/consultations/${consultation}/images/download`, { token: setup.clinic.doctor.token })
    if (res.status !== 200 || !res.body) {
      throw new Error(`download: HTTP ${res.status}`)
    }
    await withTimeout(pipeline(Readable.fromWeb(res.body as never), createWriteStream(file)), ZIP_TIMEOUT_MS, 'validation download')
    const zip = await yauzl.openPromise(file, { lazyEntries: true })
    const images: { method: number; size: number }[] = []
    let manifest: { imageCount?: number } | undefined
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.fileName.startsWith('images/')) {
          images.push({ method: entry.compressionMethod, size: entry.uncompressedSize })
        } else if (entry.fileName === 'manifest.json') {
          const chunks: Buffer[] = []
          for await (const chunk of await zip.openReadStreamPromise(entry)) {
            chunks.push(chunk as Buffer)
          }
          manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { imageCount?: number }
        }
      }
    } finally {
      zip.close()
    }
    const ok =
      images.length === sizes.length &&
      images.every((image, index) => image.method === 0 && image.size === sizes[index]) &&
      manifest?.imageCount === sizes.length
    if (!ok) {
      throw new Error(`the ZIP does not hold the ${sizes.length} images (${images.length} entries, manifest ${JSON.stringify(manifest?.imageCount)})`)
    }
  } finally {
    await fs.rm(file, { force: true })
  }
}

type ZipRun = Consumed & { stallMs: number }

const zipPhase = async (): Promise<void> => {
  await withSetup('bench_api_zip', async (setup) => {
    const templates = await uploadZipSources(setup)
    const set = await makeZipConsultation(setup, templates, ZIP_IMAGES, 0)
    console.log(`zip: ${ZIP_IMAGES} images, ${fmt(mb(set.imageBytes))} MB (stored sources: ${templates.map((t) => fmt(mb(t.filesize), 2)).join(', ')} MB); validating one download with yauzl`)
    await validateZip(setup, set.consultation, set.sizes)

    type Read = { bytes: number; ms: number }
    const runs: ZipResult['runs'] = { read: [], 'read+sha256+crc32': [], zip: [], 'zip-stream alone': [] }
    const timedRead = async (withDigests: boolean): Promise<Read> => {
      const start = performance.now()
      const { bytes } = await withTimeout(readSequentially(set.paths, withDigests), ZIP_TIMEOUT_MS, 'sequential read')
      return { bytes, ms: performance.now() - start }
    }
    const tasks = {
      read: async () => {
        const run = await timedRead(false)
        return { ms: run.ms, record: () => runs.read.push(run) }
      },
      'read+sha256+crc32': async () => {
        const run = await timedRead(true)
        return { ms: run.ms, record: () => runs['read+sha256+crc32'].push(run) }
      },
      'zip-stream alone': async () => {
        const start = performance.now()
        const { bytes } = await withTimeout(zipStreamAlone(set.paths), ZIP_TIMEOUT_MS, 'zip-stream alone')
        const run = { bytes, ms: performance.now() - start }
        return { ms: run.ms, record: () => runs['zip-stream alone'].push(run) }
      },
      zip: async () => {
        const histogram = monitorEventLoopDelay({ resolution: 10 })
        histogram.enable()
        const result = await withTimeout(download(setup, set.consultation), ZIP_TIMEOUT_MS, 'zip')
        histogram.disable()
        if (result.bytes <= set.imageBytes) {
          throw new Error(`zip: ${result.bytes} bytes for ${set.imageBytes} bytes of images`)
        }
        const run = { ...result, stallMs: histogram.max / 1e6 }
        return { ms: run.totalMs, record: () => runs.zip.push(run) }
      },
    }
    const names = Object.keys(tasks) as (keyof typeof tasks)[]
    console.log(`zip: ${ZIP_WARMUP} warm-up + ${ZIP_RUNS} measured rounds of ${names.join(', ')} (rotated order)`)
    for (let round = 0; round < ZIP_WARMUP + ZIP_RUNS; round += 1) {
      const line: string[] = []
      for (const name of names.map((_, index) => names[(index + round) % names.length] ?? 'zip')) {
        await quiet()
        await settle()
        const { ms, record } = await tasks[name]()
        line.push(`${name} ${fmt(ms, 0)} ms`)
        if (round >= ZIP_WARMUP) {
          record()
        }
      }
      process.stdout.write(`  round ${round + 1}/${ZIP_WARMUP + ZIP_RUNS}${round < ZIP_WARMUP ? ' (warm-up)' : ''}: ${line.join(', ')}\n`)
    }

    console.log('zip: main-thread CPU profile of 2 downloads (outside the figures)')
    const cpuStart = performance.now()
    const cpu = await profileCpu(async () => {
      for (let index = 0; index < 2; index += 1) {
        await withTimeout(download(setup, set.consultation), ZIP_TIMEOUT_MS, 'profiled zip')
      }
    }, path.join(tmpDir, 'zip.cpuprofile'))
    await writeResult({
      cpuProfile: { ...cpu, downloads: 2, wallMs: performance.now() - cpuStart },
      imageBytes: set.imageBytes,
      imageCount: ZIP_IMAGES,
      runs,
      templates: templates.map((template) => template.filesize),
    })
  })
}

type MemoryRun = {
  bytes: number
  durationMs: number
  idleRssMB: number
  imageBytes: number
  images: number
  maxSampleGapMs: number
  peakArrayBuffersMB: number
  peakExternalMB: number
  peakHeapUsedMB: number
  peakRssMB: number
  samples: number
}

/** Idle RSS: the median of 25 samples 10 ms apart, after a GC and a 1 s pause. */
const idleRss = async (): Promise<number> => {
  gc?.()
  await sleep(1000)
  const samples: number[] = []
  for (let index = 0; index < 25; index += 1) {
    samples.push(process.memoryUsage.rss())
    await sleep(RSS_SAMPLE_MS)
  }
  return median(samples) / 2 ** 20
}

const sampleMemory = async (run: () => Promise<Consumed>) => {
  const peak = { arrayBuffers: 0, external: 0, heapUsed: 0, rss: 0 }
  let samples = 0
  let last = performance.now()
  let maxGap = 0
  const sample = (): void => {
    const usage = process.memoryUsage()
    peak.rss = Math.max(peak.rss, usage.rss)
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed)
    peak.external = Math.max(peak.external, usage.external)
    peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers)
    const now = performance.now()
    maxGap = Math.max(maxGap, now - last)
    last = now
    samples += 1
  }
  sample()
  const timer = setInterval(sample, RSS_SAMPLE_MS)
  timer.unref()
  try {
    const result = await withTimeout(run(), ZIP_TIMEOUT_MS, 'memory download')
    sample()
    const toMB = (value: number) => value / 2 ** 20
    return {
      bytes: result.bytes,
      durationMs: result.totalMs,
      maxSampleGapMs: maxGap,
      peakArrayBuffersMB: toMB(peak.arrayBuffers),
      peakExternalMB: toMB(peak.external),
      peakHeapUsedMB: toMB(peak.heapUsed),
      peakRssMB: toMB(peak.rss),
      samples,
    }
  } finally {
    clearInterval(timer)
  }
}

const zipMemoryPhase = async (): Promise<void> => {
  await withSetup('bench_api_zip_memory', async (setup) => {
    const templates = await uploadZipSources(setup)
    const sets: Record<number, Awaited<ReturnType<typeof makeZipConsultation>>> = {}
    let offset = 0
    for (const count of MEMORY_SIZES) {
      sets[count] = await makeZipConsultation(setup, templates, count, offset)
      offset += count
    }
    console.log(`zip-memory: warm-up downloads of ${MEMORY_SIZES.join(' and ')} images, then ${MEMORY_ROUNDS} rounds of each (alternating)`)
    for (const count of MEMORY_SIZES) {
      await withTimeout(download(setup, sets[count]!.consultation), ZIP_TIMEOUT_MS, 'warm-up download')
    }
    const runs: MemoryRun[] = []
    for (let round = 0; round < MEMORY_ROUNDS; round += 1) {
      const order = round % 2 === 0 ? [...MEMORY_SIZES] : [...MEMORY_SIZES].reverse()
      for (const count of order) {
        const set = sets[count]!
        await quiet()
        const idle = await idleRss()
        const result = await sampleMemory(() => download(setup, set.consultation))
        runs.push({ ...result, idleRssMB: idle, imageBytes: set.imageBytes, images: count })
        process.stdout.write(
          `  ${count} images (${fmt(mb(set.imageBytes), 0)} MB): idle ${fmt(idle, 0)} MB → peak ${fmt(result.peakRssMB, 0)} MB RSS in ${fmt(result.durationMs, 0)} ms, ${result.samples} samples, largest gap ${fmt(result.maxSampleGapMs, 0)} ms\n`,
        )
      }
    }
    await writeResult({ runs })
  })
}

// ---------------------------------------------------------------------------------------------
// Orchestrator
// ---------------------------------------------------------------------------------------------

const phases = ['list', 'zip', 'zip-memory'] as const
type Phase = (typeof phases)[number]

const runPhase = (phase: Phase, out: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const args = ['--phase', phase, '--out', out, '--requests', String(REQUESTS), '--warmup', String(WARMUP), '--tiers', TIERS.join(','),
      '--zip-runs', String(ZIP_RUNS), '--zip-warmup', String(ZIP_WARMUP), '--memory-rounds', String(MEMORY_ROUNDS)]
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        // As under Jest: no payload-types.ts regeneration, no Next HMR socket, no dev-only checks.
        DISABLE_PAYLOAD_HMR: 'true',
        NODE_ENV: 'test',
        PAYLOAD_SECRET: process.env.PAYLOAD_SECRET ?? 'bench-secret-not-for-production',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
    }, PHASE_TIMEOUT_MS)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) {
        resolve()
      } else {
        reject(new Error(`phase ${phase} failed (${signal ?? `exit ${code}`})`))
      }
    })
  })

const readJson = async <T>(file: string): Promise<T | undefined> => {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

const machine = async () => {
  const cpuinfo = await fs.readFile('/proc/cpuinfo', 'utf8').catch(() => '')
  const packageVersion = async (name: string) =>
    (JSON.parse(await fs.readFile(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
  const client = await connect(process.env.DATABASE_URI ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  const server = await client.query<{ server_version: string }>('SHOW server_version').finally(() => client.end())
  return {
    cpuModel: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    date: new Date().toISOString(),
    kernel: `${os.type()} ${os.release()}`,
    next: await packageVersion('next'),
    node: process.version,
    nproc: os.availableParallelism(),
    payload: await packageVersion('payload'),
    pg: await packageVersion('pg'),
    postgres: server.rows[0]?.server_version ?? 'unknown',
    ramGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    zipStream: await packageVersion('zip-stream'),
  }
}

type PhaseLog = { loadAverageAtEnd?: string; quiet?: Quiet[] }
type ListResult = PhaseLog & { explained?: { plugin: Explained[]; rest: Explained[]; total: number }; tiers: ListTier[] }
type ZipResult = PhaseLog & {
  cpuProfile?: CpuSummary & { downloads: number; wallMs: number }
  imageBytes: number
  imageCount: number
  runs: { read: { bytes: number; ms: number }[]; 'read+sha256+crc32': { bytes: number; ms: number }[]; zip: ZipRun[]; 'zip-stream alone': { bytes: number; ms: number }[] }
  templates: number[]
}
type MemoryResult = PhaseLog & { runs: MemoryRun[] }

const report = async (results: { list?: ListResult; memory?: MemoryResult; zip?: ZipResult }): Promise<void> => {
  const info = await machine()
  const lines: string[] = [
    `Run ${info.date} — ${info.nproc} × ${info.cpuModel}, ${info.ramGB} GB RAM, ${info.kernel}; Node ${info.node}; payload ${info.payload}; next ${info.next}; pg ${info.pg}; zip-stream ${info.zipStream}; PostgreSQL ${info.postgres} on 127.0.0.1.`,
  ]
  const summary: Record<string, unknown> = { machine: info }
  const { list, memory, zip } = results
  if (list) {
    lines.push(
      '',
      `List, as the consultation's doctor, \`limit=100\`; ${REQUESTS} measured requests per endpoint and size (after ${WARMUP} warm-up), interleaved; time = request sent → body read:`,
      '',
      '| rows in table | in consultation | returned | plugin median ms | plugin p95 ms | REST median ms | REST p95 ms | plugin / REST (median) | (p95) | SQL statements plugin / REST |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    )
    summary.list = list.tiers.map((tier) => {
      const row = {
        plugin: { median: median(tier.timings.plugin), p95: percentile(tier.timings.plugin, 95) },
        rest: { median: median(tier.timings.rest), p95: percentile(tier.timings.rest, 95) },
        statements: tier.statements,
        total: tier.total,
      }
      const same = (values: number[]) => (new Set(values).size === 1 ? String(values[0]) : values.join('/'))
      lines.push(
        `| ${tier.total} | ${tier.listed} | ${tier.returned} | ${fmt(row.plugin.median)} | ${fmt(row.plugin.p95)} | ${fmt(row.rest.median)} | ${fmt(row.rest.p95)} | ${fmt(row.plugin.median / row.rest.median, 2)} | ${fmt(row.plugin.p95 / row.rest.p95, 2)} | ${same(tier.statements.plugin)} / ${same(tier.statements.rest)} |`,
      )
      return row
    })
    const last = list.tiers.at(-1)
    if (last) {
      lines.push('', `Statements of one request at ${last.total} rows — plugin: ${last.statementKinds.plugin.join('; ')}. REST: ${last.statementKinds.rest.join('; ')}.`)
    }
    const kindsOf = list.tiers[0]?.plans.map((plan) => plan.kind) ?? []
    lines.push(
      '',
      "Server execution time of each SELECT of one plugin request (EXPLAIN ANALYZE with the request's own parameters, warm cache), ms:",
      '',
      `| statement | ${list.tiers.map((tier) => `${tier.total} rows`).join(' | ')} |`,
      `|---|${list.tiers.map(() => '---:').join('|')}|`,
      ...kindsOf.map((kind, index) => `| ${index + 1}. ${kind} | ${list.tiers.map((tier) => fmt(tier.plans[index]?.executionMs ?? Number.NaN, 3)).join(' | ')} |`),
      `| before: the count without the (consultation_id, id) index | ${list.tiers.map((tier) => fmt(tier.countWithoutIndex?.executionMs ?? Number.NaN, 3)).join(' | ')} |`,
      '',
      'Plan of the count statement by size:',
      '',
      ...list.tiers.map((tier) => `- ${tier.total} rows: ${tier.plans.find((plan) => plan.kind.includes('(count)'))?.scans.join(' · ') ?? 'n/a'}; without the (consultation_id, id) index: ${tier.countWithoutIndex?.scans.join(' · ') ?? 'n/a'}`),
    )
    if (list.explained) {
      lines.push('', `EXPLAIN (ANALYZE, BUFFERS) of the plugin endpoint's SELECTs at ${list.explained.total} rows (scan nodes):`, '')
      for (const statement of list.explained.plugin) {
        lines.push(`- ${statement.kind}: ${scanSummary(statement.plan).join(' · ')}`)
      }
    }
  }
  if (zip) {
    const zipMs = zip.runs.zip.map((run) => run.totalMs)
    const readMs = zip.runs.read.map((run) => run.ms)
    const digestMs = zip.runs['read+sha256+crc32'].map((run) => run.ms)
    const libraryMs = zip.runs['zip-stream alone'].map((run) => run.ms)
    const throughput = (msValue: number) => mb(zip.imageBytes) / (msValue / 1000)
    const zipBytes = median(zip.runs.zip.map((run) => run.bytes))
    lines.push(
      '',
      `ZIP of ${zip.imageCount} distinct JPEGs (${fmt(mb(zip.imageBytes))} MB of images, ${fmt(mb(zip.imageBytes) / zip.imageCount, 2)} MB each on average; ZIP ${fmt(mb(zipBytes))} MB), consumed as a stream; ${zip.runs.zip.length} measured rounds, rotated order; files in the page cache for all three (written just before); MB/s = image MB / wall time:`,
      '',
      '| measurement | median ms | p95 ms | median MB/s | vs sequential read | notes |',
      '|---|---:|---:|---:|---:|---|',
      `| ZIP download (plugin endpoint) | ${fmt(median(zipMs), 0)} | ${fmt(percentile(zipMs, 95), 0)} | ${fmt(throughput(median(zipMs)), 0)} | **${fmt(median(readMs) / median(zipMs), 2)}×** | TTFB median ${fmt(median(zip.runs.zip.map((run) => run.ttfbMs)))} ms, p95 ${fmt(percentile(zip.runs.zip.map((run) => run.ttfbMs), 95))} ms; longest event-loop stall ${fmt(Math.max(...zip.runs.zip.map((run) => run.stallMs)), 0)} ms; ${fmt(median(zip.runs.zip.map((run) => run.chunks)), 0)} chunks |`,
      `| sequential read, same files (baseline) | ${fmt(median(readMs), 0)} | ${fmt(percentile(readMs, 95), 0)} | ${fmt(throughput(median(readMs)), 0)} | 1.00× | createReadStream, 64 KiB chunks |`,
      `| sequential read + SHA-256 + CRC-32 (reference) | ${fmt(median(digestMs), 0)} | ${fmt(percentile(digestMs, 95), 0)} | ${fmt(throughput(median(digestMs)), 0)} | ${fmt(median(readMs) / median(digestMs), 2)}× | SHA-256 + CRC-32 in JS (the crc-32 package, as zip-stream did) on 64 KiB reads |`,
      `| zip-stream alone, same files (reference) | ${fmt(median(libraryMs), 0)} | ${fmt(percentile(libraryMs, 95), 0)} | ${fmt(throughput(median(libraryMs)), 0)} | ${fmt(median(readMs) / median(libraryMs), 2)}× | STORE, Node stream, no DB / SHA-256 / web stream: the previous design's library |`,
    )
    summary.zip = {
      digestsMedianMs: median(digestMs),
      libraryMedianMs: median(libraryMs),
      readMedianMs: median(readMs),
      ratio: median(readMs) / median(zipMs),
      ttfbMedianMs: median(zip.runs.zip.map((run) => run.ttfbMs)),
      zipMedianMs: median(zipMs),
      zipMBps: throughput(median(zipMs)),
    }
    const cpu = zip.cpuProfile
    if (cpu) {
      const per = (value: number) => fmt(value / cpu.downloads, 0)
      lines.push(
        '',
        `Main-thread CPU profile of ${cpu.downloads} more downloads: ${per(cpu.wallMs)} ms wall per download, JavaScript/GC ${per(cpu.busyMs)} ms, idle ${per(cpu.idleMs)} ms. Self time per download by package: ${cpu.byPackage
          .slice(0, 8)
          .map((entry) => `${entry.package} ${per(entry.ms)} ms`)
          .join(', ')}. Top functions: ${cpu.byFunction
          .slice(0, 8)
          .map((entry) => `${entry.function} ${per(entry.ms)} ms`)
          .join('; ')}.`,
      )
    }
  }
  if (memory) {
    lines.push(
      '',
      `Memory while streaming a ZIP (fresh process, after one warm-up download of each; RSS sampled every ${RSS_SAMPLE_MS} ms; idle = median of 25 samples after a GC and 1 s):`,
      '',
      '| images | image MB | idle RSS MB | peak RSS MB | peak − idle MB | peak heapUsed MB | peak arrayBuffers MB | wall ms | samples (largest gap ms) |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    )
    for (const run of memory.runs) {
      lines.push(
        `| ${run.images} | ${fmt(mb(run.imageBytes), 0)} | ${fmt(run.idleRssMB, 0)} | ${fmt(run.peakRssMB, 0)} | ${fmt(run.peakRssMB - run.idleRssMB, 0)} | ${fmt(run.peakHeapUsedMB, 0)} | ${fmt(run.peakArrayBuffersMB, 1)} | ${fmt(run.durationMs, 0)} | ${run.samples} (${fmt(run.maxSampleGapMs, 0)}) |`,
      )
    }
    const growth = (count: number) => median(memory.runs.filter((run) => run.images === count).map((run) => run.peakRssMB - run.idleRssMB))
    summary.memory = Object.fromEntries(MEMORY_SIZES.map((count) => [count, growth(count)]))
  }
  lines.push('', 'Machine activity before measured rounds (whole-machine CPU busy share over 300 ms, after waiting up to 20 s for ≤ 15 %):', '')
  for (const [phase, result] of Object.entries({ list, zip, 'zip-memory': memory })) {
    const log = result?.quiet ?? []
    if (log.length > 0) {
      const busy = log.map((entry) => entry.busy * 100)
      const noisy = log.filter((entry) => entry.busy > 0.15).length
      lines.push(`- ${phase}: ${log.length} checks, busy median ${fmt(median(busy), 0)} %, max ${fmt(Math.max(...busy), 0)} %; ${noisy} above 15 % after waiting; load average at end ${result?.loadAverageAtEnd ?? 'n/a'}`)
    }
  }
  const text = lines.join('\n')
  console.log(`\n${text}\n`)
  if (list?.explained) {
    const plans = list.explained.plugin.map((statement) => `-- ${statement.kind}\n${statement.sql}\n\n${statement.plan.join('\n')}`).join('\n\n')
    await fs.writeFile(path.join(tmpDir, 'explain.txt'), `${plans}\n`)
    console.log(`Full plans: ${path.relative(repoRoot, path.join(tmpDir, 'explain.txt'))}`)
  }
  await fs.writeFile(path.join(tmpDir, 'results.md'), `${text}\n`)
  await fs.writeFile(path.join(tmpDir, 'results.json'), JSON.stringify({ ...summary, raw: results }, null, 2))
}

const orchestrate = async (): Promise<void> => {
  const only = new Set((cli.only ?? phases.join(',')).split(',').map((name) => name.trim()))
  await fs.mkdir(tmpDir, { recursive: true })
  if (only.has('zip') || only.has('zip-memory')) {
    console.log('Making the ZIP source photos (cached in bench/.tmp/api-bench/)…')
    const sources = await ensureZipSources(tmpDir)
    console.log(`  ${sources.map((bytes) => `${fmt(mb(bytes.length), 2)} MB`).join(', ')}`)
  }
  const out = (phase: Phase) => path.join(tmpDir, `${phase}.json`)
  for (const phase of phases) {
    if (only.has(phase)) {
      await fs.rm(out(phase), { force: true })
      await runPhase(phase, out(phase))
    }
  }
  await report({
    list: await readJson<ListResult>(out('list')),
    memory: await readJson<MemoryResult>(out('zip-memory')),
    zip: await readJson<ZipResult>(out('zip')),
  })
}

const main = async (): Promise<void> => {
  switch (cli.phase as Phase | undefined) {
    case undefined:
      return orchestrate()
    case 'list':
      return listPhase()
    case 'zip':
      return zipPhase()
    case 'zip-memory':
      return zipMemoryPhase()
    default:
      throw new Error(`unknown phase ${String(cli.phase)}`)
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
