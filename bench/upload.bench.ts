/**
 * Upload benchmark: `npx tsx --expose-gc bench/upload.bench.ts` (or `npm run bench:upload`).
 *
 * The orchestrator (this file without --phase) makes the test photos in bench/.tmp/upload-bench/, then runs each
 * phase in a child process of its own, one after the other (getPayload caches one Payload per
 * process, and memory figures need a fresh process):
 *
 *   demo          (a) REST upload to consultation-images through the real route handler, as a
 *                 doctor, interleaved with (b) bare sharp doing the same pixel work; stage timings;
 *                 (d) the 12 MP HEIC fixture end to end with the event loop's longest stall.
 *   stock         (c) stock Payload (plain upload collection, one 300 × 300 size, local storage)
 *                 interleaved with (b) again, measured in that process.
 *   memory        (e) peak RSS during 8 concurrent ~10 MB uploads vs the idle RSS before them.
 *   memory-sharp  (e') the same 8 concurrent images through bare sharp, for reference.
 *
 * Each phase writes bench/.tmp/upload-bench/<phase>.json; the orchestrator prints the figures and
 * writes results.json and results.md there. Everything runs in-process or on loopback
 * (PostgreSQL on 127.0.0.1); every database and temp directory made here is removed at the end.
 *
 * Options: --runs N (measured runs, default 10, at most 50), --warmup N (default 2, at most 10),
 * --only demo,stock,memory,memory-sharp.
 */
import type { Payload } from 'payload'

import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import sharp from 'sharp'

import type { BaselineName } from './lib/baseline.js'
import type { CpuSummary } from './lib/cpuProfile.js'
import type { Quiet } from './lib/load.js'
import type { Summary } from './lib/stats.js'
import type { Span, Trace } from './lib/trace.js'

import { baselineCandidates, baselineVariants, checkOutputs } from './lib/baseline.js'
import { ensureImage, largeSpec, photoSpec } from './lib/images.js'
import { cpuSnapshot, foreignCpuMs, isDisturbed, loadAverage, waitForQuiet } from './lib/load.js'
import { median, ms, ratio, summarize } from './lib/stats.js'
import { profileCpu } from './lib/cpuProfile.js'
import { createTracer, instrument } from './lib/trace.js'

const benchDir = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(benchDir, '..')
const tmpDir = path.join(benchDir, '.tmp', 'upload-bench')

const { values: cli } = parseArgs({
  options: {
    only: { type: 'string' },
    out: { type: 'string' },
    phase: { type: 'string' },
    runs: { default: '10', type: 'string' },
    variant: { type: 'string' },
    warmup: { default: '2', type: 'string' },
  },
})
const RUNS = Math.min(50, Math.max(1, Number(cli.runs) || 10))
const WARMUP = Math.min(10, Math.max(0, Number(cli.warmup) || 0))
const HEIC_RUNS = 5
const PROFILE_RUNS = 5
const MEMORY_ROUNDS = 3
const CONCURRENT = 8
const UPLOAD_TIMEOUT_MS = 120_000
const PHASE_TIMEOUT_MS = 20 * 60_000
const RSS_SAMPLE_MS = 20

const gc = (globalThis as { gc?: () => void }).gc

/** Rejects when `promise` has not settled after `ms`: no run can hang the benchmark. */
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

/** What the machine was doing before each measured round (see lib/load.ts). */
const quietLog: Quiet[] = []

const quiet = async (): Promise<void> => {
  quietLog.push(await waitForQuiet())
}

/** Wall time of one run, and the CPU time other programs used meanwhile (see lib/load.ts). */
const time = async (run: () => Promise<unknown>): Promise<{ foreignMs: number; ms: number }> => {
  const before = await cpuSnapshot()
  const start = performance.now()
  await withTimeout(run(), UPLOAD_TIMEOUT_MS, 'a run')
  const elapsed = performance.now() - start
  return { foreignMs: foreignCpuMs(before, await cpuSnapshot()), ms: elapsed }
}

type Timings = { foreign: Record<string, number[]>; timings: Record<string, number[]> }

/** Runs `tasks` in rounds, each round in a rotated order so that no task always goes first. */
const interleave = async (tasks: Record<string, () => Promise<unknown>>, warmup: number, runs: number): Promise<Timings> => {
  const names = Object.keys(tasks)
  const timings: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  const foreign: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < warmup + runs; round += 1) {
    const order = names.map((_, index) => names[(index + round) % names.length] as string)
    const line: string[] = []
    for (const name of order) {
      await quiet()
      await settle()
      const result = await time(tasks[name] as () => Promise<unknown>)
      line.push(`${name} ${ms(result.ms)}${isDisturbed(result.ms, result.foreignMs) ? ` (others used ${ms(result.foreignMs)} ms CPU)` : ''}`)
      if (round >= warmup) {
        timings[name]?.push(result.ms)
        foreign[name]?.push(result.foreignMs)
      }
    }
    process.stdout.write(`  round ${round + 1}/${warmup + runs}${round < warmup ? ' (warm-up)' : ''}: ${line.join(', ')}\n`)
  }
  return { foreign, timings }
}

const baselineTasks = (input: Buffer, upright: { height: number; width: number }, names: readonly BaselineName[]) =>
  Object.fromEntries(
    names.map((name) => [
      `b: ${name}`,
      async () => {
        checkOutputs(await baselineVariants[name](input), upright)
      },
    ]),
  )

const writeResult = async (data: Record<string, unknown>): Promise<void> => {
  if (!cli.out) {
    throw new Error('--out is required for a phase')
  }
  await fs.writeFile(cli.out, JSON.stringify({ ...data, loadAverageAtEnd: await loadAverage(), quiet: quietLog }, null, 2))
}

// ---------------------------------------------------------------------------------------------
// Phases (child processes)
// ---------------------------------------------------------------------------------------------

type Doc = { height?: number; id: number; sizes?: Record<string, { height?: number; width?: number }>; width?: number }

const expectCreated = async (res: Response, check: (doc: Doc) => boolean, label: string): Promise<Doc> => {
  const body = (await res.json()) as { doc?: Doc; errors?: unknown }
  if (res.status !== 201 || !body.doc || !check(body.doc)) {
    throw new Error(`${label}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 500)}`)
  }
  return body.doc
}

const fileBlob = (bytes: Buffer, type: string): Blob => new Blob([new Uint8Array(bytes)], { type })

const demoPhase = async (): Promise<void> => {
  const [{ startPayload }, { createClinic }, { createRestClient }, { fixtures }] = await Promise.all([
    import('../test/helpers/payload.js'),
    import('../test/helpers/clinic.js'),
    import('../test/helpers/rest.js'),
    import('../test/fixtures/index.js'),
  ])
  const photo = await ensureImage(tmpDir, photoSpec)
  const upright = { height: photo.width, width: photo.height } // orientation 6
  const ctx = await startPayload('bench_upload')
  try {
    const clinic = await createClinic(ctx.payload)
    const api = createRestClient(ctx.payload.config)
    const photoBlob = fileBlob(photo.bytes, 'image/jpeg')
    const heicBytes = await fs.readFile(fixtures.heic12mp.path)
    const heicBlob = fileBlob(heicBytes, 'image/heic')
    const upload = (blob: Blob, name: string) => {
      const form = new FormData()
      form.append('file', blob, name)
      form.append('_payload', JSON.stringify({ consultation: clinic.consultations.own }))
      return api.request('POST', '/consultation-images', { body: form, token: clinic.doctor.token })
    }
    const uploadPhoto = async () =>
      expectCreated(
        await upload(photoBlob, 'IMG_0001.JPG'),
        (doc) => doc.width === upright.width && doc.height === upright.height && doc.sizes?.thumbnail?.width === 300 && doc.sizes.preview?.height === 1600,
        'photo upload',
      )
    const uploadHeic = async () =>
      expectCreated(await upload(heicBlob, 'IMG_0002.HEIC'), (doc) => doc.width === 4032 && doc.height === 3024, 'HEIC upload')

    // (a) and (b), interleaved; the event loop's longest stall is recorded for each (a) as well.
    console.log(`demo: (a) REST upload vs (b) bare sharp, ${WARMUP} warm-up + ${RUNS} measured rounds`)
    const stalls: number[] = []
    const measured = await interleave(
      {
        'a: REST upload': async () => {
          const histogram = monitorEventLoopDelay({ resolution: 10 })
          histogram.enable()
          await uploadPhoto()
          histogram.disable()
          stalls.push(histogram.max / 1e6)
        },
        ...baselineTasks(photo.bytes, upright, Object.keys(baselineVariants) as BaselineName[]),
      },
      WARMUP,
      RUNS,
    )

    // (d) The 12 MP HEIC fixture end to end, with the longest event-loop stall of each upload.
    console.log(`demo: (d) 12 MP HEIC, 1 warm-up + ${HEIC_RUNS} measured`)
    const heic: { foreignMs: number; ms: number; stallMs: number }[] = []
    for (let run = 0; run < 1 + HEIC_RUNS; run += 1) {
      await quiet()
      await settle()
      const histogram = monitorEventLoopDelay({ resolution: 10 })
      histogram.enable()
      const { foreignMs, ms: elapsed } = await time(uploadHeic)
      histogram.disable()
      if (run > 0) {
        heic.push({ foreignMs, ms: elapsed, stallMs: histogram.max / 1e6 })
      }
      process.stdout.write(`  HEIC ${run === 0 ? 'warm-up' : run}: ${ms(elapsed)} ms, longest stall ${ms(histogram.max / 1e6)} ms, others used ${ms(foreignMs)} ms CPU\n`)
    }

    // Stage timings: extra uploads with hooks and sharp instrumented (not part of the figures above).
    console.log(`demo: stage profile, ${PROFILE_RUNS} JPEG + 3 HEIC instrumented uploads`)
    const tracer = createTracer()
    const undo = instrument(ctx.payload, 'consultation-images', tracer, ctx.uploadsDir)
    const traces: Record<'heic' | 'jpeg', Trace[]> = { heic: [], jpeg: [] }
    try {
      for (const [kind, run, count] of [['jpeg', uploadPhoto, PROFILE_RUNS], ['heic', uploadHeic, 3]] as const) {
        for (let index = 0; index < count; index += 1) {
          await quiet()
          await settle()
          tracer.reset()
          tracer.mark('request sent')
          const res = await withTimeout(run(), UPLOAD_TIMEOUT_MS, 'profiled upload')
          tracer.mark(`response parsed (doc ${res.id})`)
          traces[kind].push(tracer.snapshot())
        }
      }
    } finally {
      undo()
      tracer.stop()
    }

    // Main-thread CPU profile of 5 more JPEG uploads: the JavaScript on the event loop per upload.
    console.log('demo: main-thread CPU profile of 5 JPEG uploads')
    const cpuStart = performance.now()
    const cpu = await profileCpu(async () => {
      for (let index = 0; index < PROFILE_RUNS; index += 1) {
        await withTimeout(uploadPhoto(), UPLOAD_TIMEOUT_MS, 'CPU-profiled upload')
      }
    }, path.join(tmpDir, 'upload.cpuprofile'))
    const cpuProfile = { ...cpu, uploads: PROFILE_RUNS, wallMs: performance.now() - cpuStart }

    const heicFixture = { bytes: heicBytes.length, file: path.relative(repoRoot, fixtures.heic12mp.path), sha256: createHash('sha256').update(heicBytes).digest('hex').slice(0, 16) }
    await writeResult({ ...measured, cpuProfile, heic, heicFixture, stalls, traces, upright })
  } finally {
    await ctx.cleanup()
  }
}

const stockPhase = async (): Promise<void> => {
  const [{ getPayload }, { createTestDatabase }, { createRestClient }, { buildStockConfig }] = await Promise.all([
    import('payload'),
    import('../test/helpers/database.js'),
    import('../test/helpers/rest.js'),
    import('./lib/stock.config.js'),
  ])
  const photo = await ensureImage(tmpDir, photoSpec)
  const upright = { height: photo.width, width: photo.height }
  const database = await createTestDatabase('bench_stock')
  const staticDir = await fs.mkdtemp(path.join(os.tmpdir(), 'derma-bench-stock-'))
  let payload: Payload | undefined
  try {
    const config = await buildStockConfig({ secret: process.env.PAYLOAD_SECRET ?? 'bench-secret', staticDir, uri: database.uri })
    payload = await getPayload({ config })
    const credentials = { email: 'bench@stock.test', password: 'correct-horse-battery-staple' }
    await payload.create({ collection: 'users', data: credentials as never })
    const { token } = await payload.login({ collection: 'users', data: credentials })
    const api = createRestClient(payload.config)
    const photoBlob = fileBlob(photo.bytes, 'image/jpeg')
    console.log(`stock: (c) stock Payload upload vs (b) bare sharp, ${WARMUP} warm-up + ${RUNS} measured rounds`)
    const measured = await interleave(
      {
        'c: stock Payload REST upload': async () => {
          const form = new FormData()
          form.append('file', photoBlob, 'IMG_0001.JPG')
          const res = await api.request('POST', '/media', { body: form, token: token ?? '' })
          await expectCreated(res, (doc) => doc.sizes?.thumbnail?.width === 300 && doc.sizes.thumbnail.height === 300, 'stock upload')
        },
        ...baselineTasks(photo.bytes, upright, baselineCandidates),
      },
      WARMUP,
      RUNS,
    )

    console.log('stock: stage profile, 3 instrumented uploads')
    const tracer = createTracer()
    const undo = instrument(payload, 'media', tracer, staticDir)
    const traces: Trace[] = []
    try {
      for (let index = 0; index < 3; index += 1) {
        await quiet()
        await settle()
        tracer.reset()
        tracer.mark('request sent')
        const form = new FormData()
        form.append('file', photoBlob, 'IMG_0001.JPG')
        const res = await withTimeout(api.request('POST', '/media', { body: form, token: token ?? '' }), UPLOAD_TIMEOUT_MS, 'profiled upload')
        await expectCreated(res, () => true, 'profiled stock upload')
        tracer.mark('response parsed')
        traces.push(tracer.snapshot())
      }
    } finally {
      undo()
      tracer.stop()
    }
    await writeResult({ ...measured, traces })
  } finally {
    if (payload) {
      await payload.destroy()
      const { pool } = payload.db as unknown as { pool: { on: (event: 'error', listener: () => void) => void } }
      pool.on('error', () => undefined)
    }
    await database.drop()
    await fs.rm(staticDir, { force: true, recursive: true })
  }
}

type MemoryRound = { durationMs: number; idleRssMB: number; peakArrayBuffersMB: number; peakRssMB: number; statuses: number[] }

/** Samples RSS every 20 ms while `run` runs; the timer is unref'd and always cleared. */
const sampleRss = async (run: () => Promise<number[]>): Promise<Omit<MemoryRound, 'idleRssMB'>> => {
  let peakRss = process.memoryUsage().rss
  let peakArrayBuffers = process.memoryUsage().arrayBuffers
  const timer = setInterval(() => {
    const usage = process.memoryUsage()
    peakRss = Math.max(peakRss, usage.rss)
    peakArrayBuffers = Math.max(peakArrayBuffers, usage.arrayBuffers)
  }, RSS_SAMPLE_MS)
  timer.unref()
  const start = performance.now()
  try {
    const statuses = await withTimeout(run(), UPLOAD_TIMEOUT_MS * 2, 'concurrent uploads')
    const usage = process.memoryUsage()
    peakRss = Math.max(peakRss, usage.rss)
    return { durationMs: performance.now() - start, peakArrayBuffersMB: peakArrayBuffers / 2 ** 20, peakRssMB: peakRss / 2 ** 20, statuses }
  } finally {
    clearInterval(timer)
  }
}

/** Idle RSS: the median of 25 samples 20 ms apart, after a GC and a pause. */
const idleRss = async (): Promise<number> => {
  gc?.()
  await sleep(1000)
  const samples: number[] = []
  for (let index = 0; index < 25; index += 1) {
    samples.push(process.memoryUsage().rss)
    await sleep(RSS_SAMPLE_MS)
  }
  return median(samples) / 2 ** 20
}

const memoryRounds = async (label: string, once: () => Promise<number>): Promise<MemoryRound[]> => {
  console.log(`${label}: 1 warm-up, then ${MEMORY_ROUNDS} rounds of ${CONCURRENT} concurrent`)
  await withTimeout(once(), UPLOAD_TIMEOUT_MS, 'warm-up')
  const rounds: MemoryRound[] = []
  for (let round = 0; round < MEMORY_ROUNDS; round += 1) {
    await quiet()
    const idle = await idleRss()
    const result = await sampleRss(() => Promise.all(Array.from({ length: CONCURRENT }, () => once())))
    rounds.push({ ...result, idleRssMB: idle })
    process.stdout.write(`  round ${round + 1}: idle ${ms(idle)} MB → peak ${ms(result.peakRssMB)} MB in ${ms(result.durationMs)} ms, statuses ${result.statuses.join(',')}\n`)
  }
  return rounds
}

const memoryPhase = async (): Promise<void> => {
  const [{ startPayload }, { createClinic }, { createRestClient }] = await Promise.all([
    import('../test/helpers/payload.js'),
    import('../test/helpers/clinic.js'),
    import('../test/helpers/rest.js'),
  ])
  const large = await ensureImage(tmpDir, largeSpec)
  const ctx = await startPayload('bench_memory')
  try {
    const clinic = await createClinic(ctx.payload)
    const api = createRestClient(ctx.payload.config)
    const blob = fileBlob(large.bytes, 'image/jpeg')
    const once = async () => {
      const form = new FormData()
      form.append('file', blob, 'IMG_LARGE.JPG')
      form.append('_payload', JSON.stringify({ consultation: clinic.consultations.own }))
      const res = await api.request('POST', '/consultation-images', { body: form, token: clinic.doctor.token })
      await expectCreated(res, (doc) => doc.width === large.height && doc.height === large.width, 'large upload')
      return res.status
    }
    const rounds = await memoryRounds('memory', once)
    await writeResult({ fileBytes: large.bytes.length, rounds })
  } finally {
    await ctx.cleanup()
  }
}

const memorySharpPhase = async (): Promise<void> => {
  const large = await ensureImage(tmpDir, largeSpec)
  const variant = (cli.variant ?? 'three pipelines, concurrent') as BaselineName
  if (!Object.hasOwn(baselineVariants, variant)) {
    throw new Error(`unknown baseline variant ${variant}`)
  }
  const upright = { height: large.width, width: large.height }
  const rounds = await memoryRounds(`memory-sharp (${variant})`, async () => {
    checkOutputs(await baselineVariants[variant](large.bytes), upright)
    return 0
  })
  await writeResult({ fileBytes: large.bytes.length, rounds, variant })
}

// ---------------------------------------------------------------------------------------------
// Orchestrator
// ---------------------------------------------------------------------------------------------

const phases = ['demo', 'stock', 'memory', 'memory-sharp'] as const
type Phase = (typeof phases)[number]

const runPhase = (phase: Phase, out: string, extra: string[] = []): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--phase', phase, '--out', out, '--runs', String(RUNS), '--warmup', String(WARMUP), ...extra],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          // As under Jest: no payload-types.ts regeneration, no Next HMR socket, no dev-only checks.
          DISABLE_PAYLOAD_HMR: 'true',
          NODE_ENV: 'test',
          PAYLOAD_SECRET: process.env.PAYLOAD_SECRET ?? 'bench-secret-not-for-production',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    )
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
    ((JSON.parse(await fs.readFile(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version)
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: process.env.DATABASE_URI ?? 'postgres://postgres@127.0.0.1:5432/postgres' })
  await client.connect()
  const server = await client.query<{ server_version: string }>('SHOW server_version').finally(() => client.end())
  return {
    cpuModel: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    date: new Date().toISOString(),
    kernel: `${os.type()} ${os.release()}`,
    libvips: sharp.versions.vips,
    next: await packageVersion('next'),
    node: process.version,
    nproc: os.availableParallelism(),
    payload: await packageVersion('payload'),
    postgres: server.rows[0]?.server_version ?? 'unknown',
    ramGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    sharp: sharp.versions.sharp,
    sharpConcurrency: sharp.concurrency(),
    uvThreadpool: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
  }
}

type PhaseLog = { loadAverageAtEnd?: string; quiet?: Quiet[] }
type DemoResult = PhaseLog & {
  cpuProfile?: CpuSummary & { uploads: number; wallMs: number }
  heic: { foreignMs?: number; ms: number; stallMs: number }[]
  heicFixture?: { bytes: number; file: string; sha256: string }
  stalls: number[]
  traces: Record<'heic' | 'jpeg', Trace[]>
} & Timings
type StockResult = PhaseLog & Timings & { traces?: Trace[] }
type MemoryResult = PhaseLog & { fileBytes: number; rounds: MemoryRound[]; variant?: string }

/** Median time of each mark (from "request sent") and of each sharp span, over the profiled runs. */
const stageTable = (traces: Trace[]): string[] => {
  const first = traces[0]
  if (!first) {
    return []
  }
  const gcLine = `Main-thread GC during these uploads: median ${ms(median(traces.map((trace) => trace.gc?.totalMs ?? Number.NaN)))} ms per upload; pauses ≥ 5 ms (at ms: duration): ${traces.map((trace) => `[${(trace.gc?.pauses ?? []).map((pause) => `${pause.at}: ${pause.ms} ${pause.label.replace('GC ', '')}`).join(', ')}]`).join(' ')}`
  const lines = [gcLine, '','| stage (mark) | at (median ms) | stage took (median ms) |', '|---|---:|---:|']
  let previous = 0
  first.marks.forEach((mark, index) => {
    const at = median(traces.map((trace) => trace.marks[index]?.t ?? Number.NaN))
    const label = mark.label.replace(/ \(doc \d+\)/, '')
    lines.push(`| ${label} | ${ms(at)} | ${index === 0 ? '' : ms(at - previous)} |`)
    previous = at
  })
  lines.push('', '| sharp call / file operation | start (median ms) | duration (median ms) |', '|---|---:|---:|')
  // Spans are matched across runs by label and occurrence (their order varies when they overlap).
  const keyed = traces.map((trace) => {
    const seen = new Map<string, number>()
    return new Map(
      [...trace.spans]
        .sort((x, y) => x.start - y.start)
        .map((span) => {
          const count = (seen.get(span.label) ?? 0) + 1
          seen.set(span.label, count)
          return [`${span.label}#${count}`, span] as const
        }),
    )
  })
  for (const [key, span] of keyed[0] ?? []) {
    const matches = keyed.map((map) => map.get(key)).filter((match): match is Span => match !== undefined)
    lines.push(`| ${span.label} | ${ms(median(matches.map((match) => match.start)))} | ${ms(median(matches.map((match) => match.end - match.start)))} |`)
  }
  return lines
}

/** Summary of all runs, and of the runs no other program disturbed (see lib/load.ts). */
type Measured = { all: Summary; clean: Summary; stalls?: number[] }

const measure = (data: Timings, key: string): Measured => {
  const runs = data.timings[key] ?? []
  const foreign = (data.foreign as Timings['foreign'] | undefined)?.[key] ?? [] // absent in older result files
  return { all: summarize(runs), clean: summarize(runs.filter((value, index) => !isDisturbed(value, foreign[index] ?? 0))) }
}

/** The fastest baseline candidate by median over all runs (the candidates are interleaved alike). */
const fastest = (data: Timings): { name: BaselineName; result: Measured } => {
  const candidates = baselineCandidates.map((name) => ({ name, result: measure(data, `b: ${name}`) }))
  candidates.sort((x, y) => x.result.all.median - y.result.all.median)
  const best = candidates[0]
  if (!best) {
    throw new Error('no baseline measured')
  }
  return best
}

const report = async (results: { demo?: DemoResult; memory?: MemoryResult; memorySharp?: MemoryResult; stock?: StockResult }) => {
  const info = await machine()
  const lines: string[] = []
  const row = (label: string, result: Measured | undefined, note = '') =>
    result
      ? `| ${label} | ${result.all.n} | **${ms(result.all.median)}** | ${ms(result.all.p90)} | ${ms(result.all.min)} | ${result.clean.n} | ${ms(result.clean.median)} | ${note} |`
      : `| ${label} | – | – | – | – | – | – | not run |`
  lines.push(
    `Run ${info.date} — ${info.nproc} × ${info.cpuModel}, ${info.ramGB} GB RAM, ${info.kernel}; Node ${info.node}; sharp ${info.sharp} / libvips ${info.libvips} (sharp.concurrency() = ${info.sharpConcurrency}, UV_THREADPOOL_SIZE ${info.uvThreadpool}); payload ${info.payload}; next ${info.next}; PostgreSQL ${info.postgres}.`,
    '',
    '"undisturbed": runs during which other programs used ≤ 0.1 CPU on average (machine busy time minus this process and PostgreSQL).',
    '',
    '| measurement | n | median ms | p90 ms | min ms | undisturbed n | undisturbed median ms | notes |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  )
  const summaries: Record<string, unknown> = { machine: info }
  const ratios: Record<string, number> = {}
  let a: Measured | undefined
  let bDemo: Measured | undefined
  let c: Measured | undefined
  let bStock: Measured | undefined
  if (results.demo) {
    const demo = results.demo
    a = measure(demo, 'a: REST upload')
    const stalls = demo.stalls.slice(demo.stalls.length - a.all.n)
    const best = fastest(demo)
    bDemo = best.result
    lines.push(row('(a) REST upload → consultation-images (demo process)', a, `longest event-loop stall per run: median ${ms(median(stalls))} ms, max ${ms(Math.max(...stalls))} ms`))
    for (const name of Object.keys(baselineVariants) as BaselineName[]) {
      const note = name === best.name ? '**baseline b (fastest candidate)**' : baselineCandidates.includes(name) ? 'candidate' : 'reference, not a candidate'
      lines.push(row(`(b) bare sharp: ${name} (demo process)`, measure(demo, `b: ${name}`), note))
    }
    summaries.demo = { a, b: { name: best.name, ...best.result }, stalls, variants: Object.fromEntries(Object.keys(demo.timings).map((key) => [key, measure(demo, key)])) }
  }
  if (results.stock) {
    const stock = results.stock
    c = measure(stock, 'c: stock Payload REST upload')
    const best = fastest(stock)
    bStock = best.result
    lines.push(row('(c) stock Payload REST upload → media (stock process)', c))
    for (const name of baselineCandidates) {
      lines.push(row(`(b) bare sharp: ${name} (stock process)`, measure(stock, `b: ${name}`), name === best.name ? '**baseline b for (c)**' : 'candidate'))
    }
    summaries.stock = { b: { name: best.name, ...best.result }, c, variants: Object.fromEntries(Object.keys(stock.timings).map((key) => [key, measure(stock, key)])) }
  }
  if (results.demo) {
    const heicRuns = results.demo.heic
    const heic: Measured = {
      all: summarize(heicRuns.map((run) => run.ms)),
      clean: summarize(heicRuns.filter((run) => !isDisturbed(run.ms, run.foreignMs ?? 0)).map((run) => run.ms)),
    }
    const stall = Math.max(...heicRuns.map((run) => run.stallMs))
    const fixture = results.demo.heicFixture
    lines.push(row(`(d) 12 MP HEIC fixture${fixture ? ` (${fixture.file}, ${(fixture.bytes / 1e6).toFixed(2)} MB, sha256 ${fixture.sha256}…)` : ''}, REST end to end`, heic, `longest event-loop stall: **${ms(stall)} ms** (per run: ${heicRuns.map((run) => ms(run.stallMs)).join(', ')})`))
    summaries.heic = { fixture, stallMaxMs: stall, summary: heic, runs: heicRuns }
  }
  const pick = (x: Measured | undefined, which: 'clean' | 'min' | 'p90' | 'median'): number =>
    !x ? Number.NaN : which === 'clean' ? x.clean.median : which === 'min' ? x.all.min : which === 'p90' ? x.all.p90 : x.all.median
  lines.push('', '| ratio | medians (all runs) | p90s | undisturbed medians | minimums | target |', '|---|---:|---:|---:|---:|---|')
  const ratioRow = (label: string, key: string, value: (which: 'clean' | 'min' | 'p90' | 'median') => number, target = '–') => {
    const values = { clean: value('clean'), median: value('median'), min: value('min'), p90: value('p90') }
    ratios[key] = values.median
    ratios[`${key} (undisturbed)`] = values.clean
    ratios[`${key} (min)`] = values.min
    lines.push(`| ${label} | **${ratio(values.median)}** | ${ratio(values.p90)} | ${ratio(values.clean)} | ${ratio(values.min)} | ${target} |`)
  }
  ratioRow('a / b (same process)', 'a/b', (which) => pick(a, which) / pick(bDemo, which), '≤ 1.15')
  ratioRow('c / b (same process)', 'c/b', (which) => pick(c, which) / pick(bStock, which))
  ratioRow('a / c (different processes)', 'a/c', (which) => pick(a, which) / pick(c, which))
  ratioRow('(a/b) / (c/b): each against its own process’s b', 'a/c normalised', (which) => pick(a, which) / pick(bDemo, which) / (pick(c, which) / pick(bStock, which)))
  summaries.ratios = ratios
  for (const [label, result] of [['(e) 8 concurrent uploads through REST', results.memory], ['(e′) 8 concurrent bare-sharp runs, reference', results.memorySharp]] as const) {
    if (result) {
      lines.push('', `${label}, file ${(result.fileBytes / 1e6).toFixed(2)} MB${result.variant ? ` (${result.variant})` : ''}:`, '', '| round | idle RSS MB | peak RSS MB | peak − idle MB | wall ms | peak arrayBuffers MB |', '|---:|---:|---:|---:|---:|---:|')
      result.rounds.forEach((round, index) => {
        lines.push(`| ${index + 1} | ${ms(round.idleRssMB)} | ${ms(round.peakRssMB)} | ${ms(round.peakRssMB - round.idleRssMB)} | ${ms(round.durationMs)} | ${ms(round.peakArrayBuffersMB)} |`)
      })
    }
  }
  if (results.demo) {
    lines.push('', 'Stage profile, JPEG (instrumented extra runs; marks from hooks added at run time):', '', ...stageTable(results.demo.traces.jpeg))
    lines.push('', 'Stage profile, HEIC:', '', ...stageTable(results.demo.traces.heic))
  }
  const cpu = results.demo?.cpuProfile
  if (cpu) {
    const per = (value: number) => ms(value / cpu.uploads)
    lines.push(
      '',
      `Main-thread CPU profile (node:inspector, 100 µs sampling) of ${cpu.uploads} sequential JPEG uploads: ${per(cpu.wallMs)} ms wall per upload, of which the main thread ran JavaScript/GC for ${per(cpu.busyMs)} ms and was idle (waiting for sharp, the HEIC worker, PostgreSQL, the disk) ${per(cpu.idleMs)} ms. Self time per upload:`,
      '',
      '| package | ms per upload |',
      '|---|---:|',
      ...cpu.byPackage.slice(0, 15).map((entry) => `| ${entry.package} | ${(entry.ms / cpu.uploads).toFixed(1)} |`),
      '',
      '| function — where | ms per upload |',
      '|---|---:|',
      ...cpu.byFunction.slice(0, 20).map((entry) => `| ${entry.function.replace(/\|/g, '\\|')} | ${(entry.ms / cpu.uploads).toFixed(1)} |`),
    )
  }
  if (results.stock?.traces) {
    lines.push('', 'Stage profile, stock Payload (c):', '', ...stageTable(results.stock.traces))
  }
  lines.push('', 'Machine activity just before each measured run (whole-machine CPU busy share over 300 ms, after waiting up to 20 s for it to fall to ≤ 15 %):', '')
  for (const [phase, result] of Object.entries({ demo: results.demo, memory: results.memory, 'memory-sharp': results.memorySharp, stock: results.stock })) {
    const log = result?.quiet ?? []
    if (log.length > 0) {
      const busy = log.map((entry) => entry.busy * 100)
      const noisy = log.filter((entry) => entry.busy > 0.15).length
      lines.push(`- ${phase}: ${log.length} runs, busy median ${busy.length ? median(busy).toFixed(0) : 'n/a'} %, max ${Math.max(...busy).toFixed(0)} %; ${noisy} started above 15 % (waited out the 20 s); load average at end ${result?.loadAverageAtEnd ?? 'n/a'}`)
    }
  }
  const text = lines.join('\n')
  console.log(`\n${text}\n`)
  await fs.writeFile(path.join(tmpDir, 'results.md'), `${text}\n`)
  await fs.writeFile(path.join(tmpDir, 'results.json'), JSON.stringify({ ...summaries, raw: results }, null, 2))
}

const orchestrate = async (): Promise<void> => {
  const only = new Set((cli.only ?? phases.join(',')).split(',').map((name) => name.trim()))
  await fs.mkdir(tmpDir, { recursive: true })
  console.log('Making the test photos (cached in bench/.tmp/)…')
  const [photo, large] = [await ensureImage(tmpDir, photoSpec), await ensureImage(tmpDir, largeSpec)]
  console.log(`  ${path.basename(photo.path)}: ${photo.width}×${photo.height} q${photo.quality}, ${(photo.bytes.length / 1e6).toFixed(2)} MB`)
  console.log(`  ${path.basename(large.path)}: ${large.width}×${large.height} q${large.quality}, ${(large.bytes.length / 1e6).toFixed(2)} MB`)
  const out = (phase: Phase) => path.join(tmpDir, `${phase}.json`)
  for (const phase of phases) {
    if (only.has(phase)) {
      await fs.rm(out(phase), { force: true })
      // The memory reference uses the baseline that won in the demo process.
      const demo = phase === 'memory-sharp' ? await readJson<DemoResult>(out('demo')) : undefined
      await runPhase(phase, out(phase), demo ? ['--variant', fastest(demo).name] : [])
    }
  }
  await report({
    demo: await readJson<DemoResult>(out('demo')),
    memory: await readJson<MemoryResult>(out('memory')),
    memorySharp: await readJson<MemoryResult>(out('memory-sharp')),
    stock: await readJson<StockResult>(out('stock')),
  })
}

const main = async (): Promise<void> => {
  switch (cli.phase as Phase | undefined) {
    case undefined:
      return orchestrate()
    case 'demo':
      return demoPhase()
    case 'stock':
      return stockPhase()
    case 'memory':
      return memoryPhase()
    case 'memory-sharp':
      return memorySharpPhase()
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
