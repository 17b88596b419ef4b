/**
 * Load benchmark: `npm run bench:load` (or `npx tsx bench/load.bench.ts` against DATABASE_URI).
 *
 * The server is a child process (test/helpers/serverProcess.ts: the demo config behind the real
 * Next route handlers on a plain Node HTTP server, on 127.0.0.1:3400–3499), so that its RSS and
 * open descriptors are its own. This process sets up the clinic (fresh database, users, tokens),
 * makes the images and sends the traffic. Three phases:
 *
 *   burst    `--concurrency` (50) uploads at once of mixed real images (JPEG 1–10 MB, PNG, HEIC);
 *            every one must answer 201, and every stored original and thumbnail is fetched back
 *            and compared (SHA-256, size) with the file on disk and the row. Latency p50/p95,
 *            server peak RSS.
 *   hostile  `--rounds` pairs of rounds of 16 legit uploads (4 at a time), alone and then with
 *            hostile traffic at the same time from a child process (`--hostile`: pixel floods,
 *            12 MB bodies, anonymous 50 MB posts to both upload routes; `--attackers` (4) at a
 *            time): every hostile request must be refused; legit p95 with / without.
 *            `--legit burst`: the legit set is the burst's (`--concurrency` mixed uploads at
 *            once) instead of 16 at 4 at a time. The attacker reports its own CPU time.
 *   soak     `--soak` (200) uploads, 4 at a time, at most `--soak-minutes` (5), then
 *            `--idle-minutes` (1) with no traffic: server RSS, heap and external memory after a
 *            full GC, and open descriptors, every 25 uploads and every 15 s of idle; at the end,
 *            the files on disk against the rows (every stored name and size, originals and
 *            derivatives, and nothing else).
 *
 * `--proxy nginx`: Debian's nginx in front of the server (bench/lib/nginx.ts, from
 * docs/nginx.conf.example, the README's deployment example). The burst and the soak go through
 * it, and the hostile phase runs each round twice, straight to Node and through nginx, so that
 * both ratios come from the same run. Load averages (`/proc/loadavg`) are recorded per round.
 *
 * `--isolate`: two machines on one (bench/lib/cpuSets.ts): the server, PostgreSQL and nginx on
 * CPU 0, this process and the attacker on the others, so that the attacker's own work takes no
 * CPU from the server. PostgreSQL gets all CPUs back at the end.
 *
 * Everything is bounded (counts, a 120 s timeout per request, the soak's time cap) and loopback.
 * The database and the uploads directory are removed at the end, even on failure. Results:
 * stdout and bench/.tmp/load-bench/results.{json,md}.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import sharp from 'sharp'

import type { ChildServer } from '../test/helpers/childServer.js'
import type { ClinicContext } from '../test/helpers/setup.js'

import { spawnServer } from '../test/helpers/childServer.js'
import { startClinic } from '../test/helpers/setup.js'
import { ensureImage, largeSpec, photoSpec } from './lib/images.js'
import { clientCpus, cpusOf, pin, postgresPids, restorePostgres, serverCpus } from './lib/cpuSets.js'
import { loadAverage } from './lib/load.js'
import { startNginx, type Nginx } from './lib/nginx.js'
import { median, percentile } from './lib/stats.js'

const benchDir = path.dirname(fileURLToPath(import.meta.url))
const outDir = path.join(benchDir, '.tmp', 'load-bench')
const fixtures = path.join(benchDir, '..', 'test', 'fixtures')

const { values: cli } = parseArgs({
  options: {
    attacker: { default: false, type: 'boolean' },
    attackers: { default: '4', type: 'string' },
    concurrency: { default: '50', type: 'string' },
    hostile: { default: 'flood,oversize,anon-plugin,anon-payload', type: 'string' },
    'idle-minutes': { default: '1', type: 'string' },
    isolate: { default: false, type: 'boolean' },
    legit: { default: 'rounds', type: 'string' },
    only: { default: 'burst,hostile,soak', type: 'string' },
    proxy: { default: 'none', type: 'string' },
    rounds: { default: '2', type: 'string' },
    soak: { default: '200', type: 'string' },
    'soak-minutes': { default: '5', type: 'string' },
  },
})
const bounded = (value: string | undefined, max: number): number => Math.min(max, Math.max(1, Number(value)))
const concurrency = bounded(cli.concurrency, 100)
const rounds = bounded(cli.rounds, 5)
const soakCount = bounded(cli.soak, 1000)
const soakMs = bounded(cli['soak-minutes'], 90) * 60_000
const idleMs = bounded(cli['idle-minutes'], 30) * 60_000
const phases = new Set(cli.only.split(','))
const hostileChosen = new Set(cli.hostile.split(','))
const attackers = bounded(cli.attackers, 16)
if (!['nginx', 'none'].includes(cli.proxy)) {
  throw new Error('--proxy is nginx or none')
}
if (!['burst', 'rounds'].includes(cli.legit)) {
  throw new Error('--legit is rounds (16 uploads, 4 at a time) or burst (--concurrency at once)')
}
if (cli.isolate && os.cpus().length < 2) {
  throw new Error('--isolate needs at least 2 CPUs')
}

type Photo = { bytes: Buffer; kind: string; name: string; type: string }
type Answer = { body: string; ms: number; status: number }
type Stats = { cpuMs: number; external: number; fds: number; heapUsed: number; peakRss: number; rss: number }

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1)

const makePhotos = async (): Promise<Record<string, Photo>> => {
  const photo = await ensureImage(outDir, photoSpec)
  const large = await ensureImage(outDir, largeSpec)
  const small = await sharp(photo.bytes).rotate().resize(2000).jpeg({ quality: 92 }).toBuffer()
  const png = await sharp(photo.bytes).rotate().resize(1400).png().toBuffer()
  const heic = await fs.readFile(path.join(fixtures, '12mp.heic'))
  return {
    heic: { bytes: heic, kind: 'HEIC 12 MP', name: 'IMG_0001.HEIC', type: 'image/heic' },
    jpeg1: { bytes: small, kind: 'JPEG 3 MP', name: 'small.jpg', type: 'image/jpeg' },
    jpeg10: { bytes: large.bytes, kind: 'JPEG 24 MP', name: 'large.jpg', type: 'image/jpeg' },
    jpeg5: { bytes: photo.bytes, kind: 'JPEG 12 MP', name: 'photo.jpg', type: 'image/jpeg' },
    png: { bytes: png, kind: 'PNG', name: 'photo.png', type: 'image/png' },
  }
}

const form = (photo: Photo): FormData => {
  const body = new FormData()
  body.append('file', new Blob([new Uint8Array(photo.bytes)], { type: photo.type }), photo.name)
  body.append('_payload', JSON.stringify({ acquisition: 'clinical-overview' }))
  return body
}

/** At most `limit` at a time, in order; each result in its task's place. */
const pool = async <T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> => {
  const results: T[] = new Array<T>(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const index = next
      next += 1
      results[index] = await (tasks[index] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}

const timed = async (request: () => Promise<Response>): Promise<Answer> => {
  const started = performance.now()
  try {
    const res = await request()
    const body = await res.text()
    return { body, ms: performance.now() - started, status: res.status }
  } catch (error) {
    return { body: String(error), ms: performance.now() - started, status: 0 }
  }
}

/** `POST /api/consultations/:id/images` as the doctor (or with other headers, to another URL), timed. */
const uploader =
  (api: string, token: string, consultation: number) =>
  (photo: Photo, headers: Record<string, string> = { Authorization: `JWT ${token}` }, url = `${api}/consultations/${consultation}/images`): Promise<Answer> =>
    timed(() => fetch(url, { body: form(photo), headers, method: 'POST', signal: AbortSignal.timeout(120_000) }))

type Hostile = { expect: number[]; id: string; kind: string; send: () => Promise<Answer> }

/**
 * The hostile requests: pixel floods and a 12 MB body as the doctor, anonymous 50 MB posts. Behind
 * nginx (`proxied`) every declared body over `client_max_body_size` gets nginx's 413 first.
 */
const hostileRequests = async (api: string, token: string, consultation: number, proxied = false): Promise<Hostile[]> => {
  const upload = uploader(api, token, consultation)
  const flood = await Promise.all(['pixel-flood.jpg', 'pixel-flood.png', 'pixel-flood.heic'].map((name) => fs.readFile(path.join(fixtures, name))))
  const oversize = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(12 * 1024 * 1024, 7)])
  const huge = Buffer.alloc(50 * 1024 * 1024, 9)
  return [
    ...flood.map((bytes, n) => ({ expect: [413], id: 'flood', kind: 'pixel flood', send: () => upload({ bytes, kind: 'flood', name: `flood-${n}.img`, type: 'application/octet-stream' }) })),
    { expect: [413], id: 'oversize', kind: '12 MB body', send: () => upload({ bytes: oversize, kind: 'oversize', name: 'big.jpg', type: 'image/jpeg' }) },
    { expect: proxied ? [413] : [401], id: 'anon-plugin', kind: 'anonymous 50 MB (plugin route)', send: () => upload({ bytes: huge, kind: 'anon', name: 'x.jpg', type: 'image/jpeg' }, {}) },
    {
      expect: proxied ? [413] : [401, 403, 413],
      id: 'anon-payload',
      kind: 'anonymous 50 MB (Payload route)',
      send: () => upload({ bytes: huge, kind: 'anon', name: 'x.jpg', type: 'image/jpeg' }, {}, `${api}/consultation-images`),
    },
  ].filter((one) => hostileChosen.has(one.id))
}


/**
 * `--attacker`: the hostile traffic, from a process of its own so that making 50 MB bodies never
 * stalls the legit clients' event loop. `--attackers` requests at a time until the parent says
 * `stop`, then it reports every answer.
 */
const runAttacker = async (): Promise<void> => {
  const { DERMA_LOAD_API = '', DERMA_LOAD_CONSULTATION = '0', DERMA_LOAD_PROXIED = '', DERMA_LOAD_TOKEN = '' } = process.env
  const kinds = await hostileRequests(DERMA_LOAD_API, DERMA_LOAD_TOKEN, Number(DERMA_LOAD_CONSULTATION), DERMA_LOAD_PROXIED === '1')
  let stopped = false
  process.on('message', () => {
    stopped = true
  })
  const answers: { answer: Answer; expect: number[]; kind: string }[] = []
  // Its CPU while attacking (not its start-up), for the report.
  const cpuAtStart = process.cpuUsage()
  process.send?.({ event: 'attacking' })
  await Promise.all(
    Array.from({ length: attackers }, async (_, worker) => {
      for (let n = worker; !stopped && n < 2000; n += attackers) {
        const chosen = kinds[n % kinds.length] as Hostile
        const answer = await chosen.send()
        // Only a failed request's error is kept (the body of a refusal is the error contract).
        answers.push({ answer: { ...answer, body: answer.status === 0 ? answer.body.slice(0, 200) : '' }, expect: chosen.expect, kind: chosen.kind })
      }
    }),
  )
  const { system, user } = process.cpuUsage(cpuAtStart)
  process.send?.({ answers, cpuMs: (system + user) / 1000, event: 'answers' }, () => process.exit(0))
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/**
 * The uploads directory against the image rows: every name a row stores (original and each
 * derivative) must be a file of exactly the row's size, and there must be no other file.
 */
const filesAgainstRows = async (ctx: ClinicContext) => {
  const { docs } = await ctx.payload.find({
    collection: 'consultation-images',
    depth: 0,
    limit: 0,
    // The benchmark's own check of every row, not a user's read.
    overrideAccess: true,
    pagination: false,
  })
  const expected = new Map<string, number>()
  for (const doc of docs as unknown as { filename: string; filesize: number; sizes?: Record<string, { filename?: null | string; filesize?: null | number }> }[]) {
    expected.set(doc.filename, doc.filesize)
    for (const size of Object.values(doc.sizes ?? {})) {
      if (size.filename) {
        expected.set(size.filename, size.filesize ?? -1)
      }
    }
  }
  const onDisk = new Map<string, number>()
  for (const entry of await fs.readdir(ctx.uploadsDir, { withFileTypes: true })) {
    if (entry.isFile()) {
      onDisk.set(entry.name, (await fs.stat(path.join(ctx.uploadsDir, entry.name))).size)
    }
  }
  const missing = [...expected.keys()].filter((name) => !onDisk.has(name))
  const extra = [...onDisk.keys()].filter((name) => !expected.has(name))
  const wrongSize = [...expected].filter(([name, size]) => onDisk.has(name) && onDisk.get(name) !== size).map(([name]) => name)
  const sum = (sizes: Iterable<number>) => [...sizes].reduce((total, size) => total + size, 0)
  return {
    bytesOnDisk: sum(onDisk.values()),
    bytesInRows: sum(expected.values()),
    extra,
    files: onDisk.size,
    missing,
    rows: docs.length,
    storedNames: expected.size,
    wrongSize,
  }
}

const run = async (ctx: ClinicContext, server: ChildServer, photos: Record<string, Photo>, nginx?: Nginx) => {
  const directApi = `${server.origin}/api`
  // The burst and the soak go through nginx when it is there.
  const api = nginx ? `${nginx.origin}/api` : directApi
  const auth = { Authorization: `JWT ${ctx.clinic.doctor.token}` }
  const upload = uploader(api, ctx.clinic.doctor.token, ctx.clinic.consultations.own)
  const stats = async (gc = false): Promise<Stats> => {
    const reply = server.next('stats', 10_000)
    server.child.send({ event: 'stats', gc })
    return (await reply) as unknown as Stats
  }
  const summary = (answers: Answer[]) => ({
    errors: answers.filter((answer) => answer.status !== 201).map((answer) => `${answer.status}: ${answer.body.slice(0, 160)}`),
    n: answers.length,
    p50: Math.round(median(answers.map((answer) => answer.ms))),
    p95: Math.round(percentile(answers.map((answer) => answer.ms), 95)),
  })

  process.stderr.write('load bench: warming up\n')
  // Warm-up: one of each kind (first requests compile routes and start HEIC workers).
  for (const photo of Object.values(photos)) {
    await upload(photo)
  }

  // burst
  const mix = ['jpeg5', 'jpeg10', 'jpeg1', 'png', 'heic'] as const
  const burstPhotos = Array.from({ length: concurrency }, (_, n) => photos[mix[n % mix.length] as string] as Photo)
  const idle = await stats()
  const burstStarted = performance.now()
  const burst = phases.has('burst') ? await Promise.all(burstPhotos.map((photo) => upload(photo))) : []
  const burstWall = performance.now() - burstStarted
  const burstStats = await stats()
  const mismatches: string[] = []
  for (const answer of burst.filter((one) => one.status === 201)) {
    const { doc } = JSON.parse(answer.body) as { doc: { filename: string; filesize: number; sizes: { thumbnail: { filename: string; filesize: number } } } }
    for (const [name, size] of [[doc.filename, doc.filesize], [doc.sizes.thumbnail.filename, doc.sizes.thumbnail.filesize]] as const) {
      const served = new Uint8Array(await (await fetch(`${api}/consultation-images/file/${name}`, { headers: auth })).arrayBuffer())
      const stored = await fs.readFile(path.join(ctx.uploadsDir, name))
      if (sha256(served) !== sha256(stored) || served.length !== size || stored.length !== size) {
        mismatches.push(name)
      }
    }
  }
  const byKind: Record<string, ReturnType<typeof summary>> = Object.fromEntries(
    mix.map((kind) => [photos[kind]?.kind ?? kind, summary(burst.filter((_, n) => burstPhotos[n] === photos[kind]))]),
  )

  process.stderr.write('load bench: hostile\n')
  // `--legit rounds`: 16 uploads, 4 at a time; `--legit burst`: the burst's mix, all at once.
  const [legitSet, legitAtOnce] =
    cli.legit === 'burst'
      ? [burstPhotos, burstPhotos.length]
      : [Array.from({ length: 16 }, (_, n) => photos[['jpeg5', 'jpeg1', 'png', 'heic'][n % 4] as string] as Photo), 4]
  type HostileAnswer = { answer: Answer; expect: number[]; kind: string }
  const targets = [
    { api: directApi, name: 'direct to Node', proxied: false },
    ...(nginx ? [{ api: `${nginx.origin}/api`, name: 'through nginx', proxied: true }] : []),
  ].map((target) => ({
    ...target,
    alone: [] as Answer[],
    attackerCpuMs: 0,
    hostile: [] as HostileAnswer[],
    loads: [] as string[],
    mixed: [] as Answer[],
    mixedMs: 0,
    nginxPeakRss: 0,
    peakRss: 0,
    serverCpu: { alone: 0, mixed: 0 },
  }))
  let nginxPeak = 0
  const nginxSampler = nginx
    ? setInterval(() => {
        void nginx.rss().then((rss) => (nginxPeak = Math.max(nginxPeak, rss)))
      }, 100)
    : undefined
  // Rounds interleaved across the targets, so that the machine's drift hits both alike.
  for (let round = 0; phases.has('hostile') && round < rounds; round += 1) {
    for (const target of targets) {
      const send = uploader(target.api, ctx.clinic.doctor.token, ctx.clinic.consultations.own)
      target.loads.push(await loadAverage())
      const beforeAlone = await stats()
      target.alone.push(...(await pool(legitSet.map((photo) => () => send(photo)), legitAtOnce)))
      const beforeMixed = await stats()
      target.serverCpu.alone += beforeMixed.cpuMs - beforeAlone.cpuMs
      nginxPeak = 0
      const attacker = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--attacker', '--attackers', String(attackers), '--hostile', cli.hostile], {
        env: {
          ...process.env,
          DERMA_LOAD_API: target.api,
          DERMA_LOAD_CONSULTATION: String(ctx.clinic.consultations.own),
          DERMA_LOAD_PROXIED: target.proxied ? '1' : '',
          DERMA_LOAD_TOKEN: ctx.clinic.doctor.token,
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      const attackerSays = (event: string) =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          attacker.on('message', (message: Record<string, unknown>) => {
            if (message.event === event) {
              resolve(message)
            }
          })
          attacker.once('exit', () => {
            reject(new Error(`the attacker ended before "${event}"`))
          })
        })
      await attackerSays('attacking')
      const mixedStarted = performance.now()
      target.mixed.push(...(await pool(legitSet.map((photo) => () => send(photo)), legitAtOnce)))
      target.mixedMs += performance.now() - mixedStarted
      const reported = attackerSays('answers')
      attacker.send({ event: 'stop' })
      const said = await reported
      target.hostile.push(...(said.answers as HostileAnswer[]))
      target.attackerCpuMs += said.cpuMs as number
      const afterMixed = await stats()
      target.serverCpu.mixed += afterMixed.cpuMs - beforeMixed.cpuMs
      target.peakRss = Math.max(target.peakRss, afterMixed.peakRss)
      target.nginxPeakRss = Math.max(target.nginxPeakRss, nginxPeak)
    }
  }
  if (nginxSampler) {
    clearInterval(nginxSampler)
  }
  const hostileResults = targets.map((target) => ({
    alone: summary(target.alone),
    // The attacker's CPU while attacking, as a share of one CPU over the mixed rounds' wall time.
    attackerCpuShare: target.attackerCpuMs / Math.max(1, target.mixedMs),
    // Server CPU: per legit upload (alone rounds), and what the hostile requests added, per request.
    cpuPerHostileMs: Math.round((target.serverCpu.mixed - target.serverCpu.alone) / Math.max(1, target.hostile.length)),
    cpuPerLegitMs: Math.round(target.serverCpu.alone / Math.max(1, target.alone.length)),
    loads: target.loads,
    mixed: summary(target.mixed),
    name: target.name,
    nginxPeakRss: target.nginxPeakRss,
    peakRss: target.peakRss,
    refused: Object.fromEntries(
      [...new Set(target.hostile.map((one) => one.kind))].map((kind) => {
        const ofKind = target.hostile.filter((one) => one.kind === kind)
        return [
          kind,
          {
            failures: [...new Set(ofKind.filter((one) => one.answer.status === 0).map((one) => one.answer.body))],
            n: ofKind.length,
            refusedAsExpected: ofKind.filter((one) => one.expect.includes(one.answer.status)).length,
            statuses: [...new Set(ofKind.map((one) => one.answer.status))].map((status) => `${String(status)} × ${String(ofKind.filter((one) => one.answer.status === status).length)}`),
          },
        ]
      }),
    ),
    total: target.hostile.length,
  }))

  process.stderr.write('load bench: soak\n')
  const soakPhotos = ['jpeg1', 'png', 'heic', 'jpeg5']
  // Each sample after a full GC in the server: heap and external memory still reachable.
  const samples: (Stats & { elapsedS: number; idle?: true; uploads: number })[] = []
  const soakStarted = performance.now()
  const elapsedS = () => Math.round((performance.now() - soakStarted) / 1000)
  const soakErrors: string[] = []
  let done = 0
  samples.push({ ...(await stats(true)), elapsedS: 0, uploads: 0 })
  while (phases.has('soak') && done < soakCount && performance.now() - soakStarted < soakMs) {
    const batch = Math.min(25, soakCount - done)
    const answers = await pool(
      Array.from({ length: batch }, (_, n) => () => upload(photos[soakPhotos[(done + n) % soakPhotos.length] as string] as Photo)),
      4,
    )
    soakErrors.push(...answers.filter((answer) => answer.status !== 201).map((answer) => `${answer.status}: ${answer.body.slice(0, 160)}`))
    done += batch
    samples.push({ ...(await stats(true)), elapsedS: elapsedS(), uploads: done })
  }
  // Then idle: does RSS stay on its plateau (or come down) with no traffic?
  const idleStarted = performance.now()
  while (phases.has('soak') && performance.now() - idleStarted < idleMs) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(15_000, idleMs)))
    samples.push({ ...(await stats(true)), elapsedS: elapsedS(), idle: true, uploads: done })
  }
  const disk = phases.has('soak') ? await filesAgainstRows(ctx) : undefined

  return {
    burst: { ...summary(burst), byKind, idleRss: idle.rss, mismatches, peakRss: burstStats.peakRss, verified: burst.filter((one) => one.status === 201).length * 2, wallMs: Math.round(burstWall) },
    hostile: hostileResults,
    photos: Object.fromEntries(Object.values(photos).map((photo) => [photo.kind, photo.bytes.length])),
    soak: { disk, errors: soakErrors, samples, uploads: done },
  }
}

const report = (results: Awaited<ReturnType<typeof run>>, machine: string): string => {
  const { burst, hostile, soak } = results
  const rows = (entries: [string, { errors: string[]; n: number; p50: number; p95: number }][]) =>
    entries.map(([name, s]) => `| ${name} | ${s.n} | ${s.errors.length} | ${s.p50} | ${s.p95} |`).join('\n')
  return [
    machine,
    '',
    `Images: ${Object.entries(results.photos).map(([kind, bytes]) => `${kind} ${mb(bytes)} MB`).join(', ')}.`,
    '',
    ...(burst.n === 0 ? [] : [
      `### Burst: ${burst.n} concurrent uploads`,
      '',
      '| images | n | errors | p50 ms | p95 ms |',
      '|---|---:|---:|---:|---:|',
      rows([['all', burst], ...Object.entries(burst.byKind)]),
      '',
      `Wall ${burst.wallMs} ms. Server RSS idle ${mb(burst.idleRss)} MB, peak ${mb(burst.peakRss)} MB. ` +
        `Served vs stored (SHA-256 and size, originals and thumbnails): ${burst.verified - burst.mismatches.length}/${burst.verified} match.`,
      ...(burst.errors.length > 0 ? ['', 'Errors:', ...burst.errors.map((error) => `- ${error}`)] : []),
      '',
    ]),
    ...(hostile.every((target) => target.alone.n === 0) ? [] : ['### Hostile traffic mixed in', '']),
    ...hostile.filter((target) => target.alone.n > 0).flatMap((target) => [
      `#### ${target.name}`,
      '',
      `| legit uploads (${cli.legit === 'burst' ? `${String(concurrency)} at once` : '4 at a time'}) | n | errors | p50 ms | p95 ms |`,
      '|---|---:|---:|---:|---:|',
      rows([['alone', target.alone], ['with hostile traffic', target.mixed]]),
      '',
      `Legit p95 with / without: **${(target.mixed.p95 / target.alone.p95).toFixed(2)}×**. Server peak RSS during the hostile rounds ${mb(target.peakRss)} MB` +
        `${target.nginxPeakRss > 0 ? `, nginx (master and workers) ${mb(target.nginxPeakRss)} MB` : ''}. ` +
        `Server CPU: ${target.cpuPerLegitMs} ms per legit upload; the ${target.total} hostile requests added ${target.cpuPerHostileMs} ms each. ` +
        `The attacker process used ${(100 * target.attackerCpuShare).toFixed(0)} % of one CPU during the mixed rounds. ` +
        `Load average at the start of each round: ${target.loads.join('; ')}.`,
      '',
      '| hostile request | sent | refused as expected | statuses |',
      '|---|---:|---:|---|',
      ...Object.entries(target.refused).map(([kind, r]) => `| ${kind} | ${r.n} | ${r.refusedAsExpected} | ${r.statuses.join(', ')} |`),
      ...Object.entries(target.refused).flatMap(([kind, r]) => (r.failures.length > 0 ? ['', `${kind}: no answer (${r.failures.join('; ')})`] : [])),
      '',
    ]),
    ...(soak.uploads === 0 ? [] : [
    `### Soak: ${soak.uploads} uploads, 4 at a time`,
    '',
    'Each sample after a full GC in the server (`--expose-gc`): heap used and external memory are what is still reachable.',
    '',
    '| uploads | s | RSS MB | peak RSS MB | heap used MB | external MB | open fds |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...soak.samples.map((s) => `| ${s.uploads}${s.idle ? ' (idle)' : ''} | ${s.elapsedS} | ${mb(s.rss)} | ${mb(s.peakRss)} | ${mb(s.heapUsed)} | ${mb(s.external)} | ${s.fds} |`),
    '',
    `Soak errors: ${soak.errors.length}${soak.errors.length > 0 ? ` (${soak.errors.slice(0, 3).join('; ')})` : ''}.`,
    ...(soak.disk
      ? [
          '',
          `Files on disk against the rows: ${soak.disk.rows} rows storing ${soak.disk.storedNames} file names (${mb(soak.disk.bytesInRows)} MB by their sizes); ` +
            `${soak.disk.files} files on disk (${mb(soak.disk.bytesOnDisk)} MB); missing ${soak.disk.missing.length}, extra ${soak.disk.extra.length}, wrong size ${soak.disk.wrongSize.length}.`,
        ]
      : []),
    ]),
  ].join('\n')
}

const main = async (): Promise<void> => {
  ;(process.env as Record<string, string | undefined>).NODE_ENV ??= 'test'
  await fs.mkdir(outDir, { recursive: true })
  const photos = await makePhotos()
  const ctx = await startClinic('load')
  let server: ChildServer | undefined
  let nginx: Nginx | undefined
  try {
    server = await spawnServer({ NODE_ENV: 'test', NODE_OPTIONS: '--no-deprecation --expose-gc' })
    nginx = cli.proxy === 'nginx' ? await startNginx(new URL(server.origin).host) : undefined
    if (cli.isolate) {
      // This process and the attacker it starts: the client side.
      await pin([process.pid], clientCpus())
      await pin([server.child.pid ?? 0, ...(nginx ? await nginx.pids() : []), ...(await postgresPids())], serverCpus)
    }
    const versionOf = async (name: string) =>
      ((JSON.parse(await fs.readFile(path.join(benchDir, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version)
    const machine =
      `Run ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${mb(os.totalmem())} MB RAM; Node ${process.version}; ` +
      `payload ${await versionOf('payload')}, next ${await versionOf('next')}, sharp ${await versionOf('sharp')}${nginx ? `; ${nginx.version} in front (docs/nginx.conf.example)` : ''}; ` +
      `load average before: ${await loadAverage()}.` +
      (cli.isolate
        ? ` Isolated (\`--isolate\`): server, PostgreSQL${nginx ? ' and nginx' : ''} on CPU ${await cpusOf(server.child.pid ?? 0)}, clients and attacker on CPU ${await cpusOf(process.pid)}.`
        : '')
    const results = await run(ctx, server, photos, nginx)
    const text = report(results, `${machine} Load average after: ${await loadAverage()}.`)
    await fs.writeFile(path.join(outDir, 'results.json'), JSON.stringify(results, null, 2))
    await fs.writeFile(path.join(outDir, 'results.md'), `${text}\n`)
    process.stdout.write(`${text}\n`)
  } finally {
    // The server's own log (errors only, IDs only), for whatever a run revealed.
    await fs.writeFile(path.join(outDir, 'server.log'), server?.output() ?? '')
    server?.child.kill('SIGKILL')
    await nginx?.stop()
    if (cli.isolate) {
      await restorePostgres()
    }
    await ctx.cleanup()
  }
}

if (cli.attacker) {
  await runAttacker()
} else {
  await main()
  process.exit(0)
}
