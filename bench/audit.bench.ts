/**
 * Audit-trail benchmark: `npx tsx bench/audit.bench.ts` (PostgreSQL from DATABASE_URI or
 * 127.0.0.1:5432, user postgres; its own database, dropped at the end).
 *
 * What auditing costs, measured in one process, audited and unaudited requests interleaved (the
 * order alternating each round) through the real Next route handlers:
 *
 *   list    GET /api/consultations/:id/images?limit=100 (100 images) as their doctor: 100 `read`
 *           rows in one INSERT, plus one query for the consultation's patient
 *   rest    GET /api/consultation-images?limit=100&depth=0 as the admin (Payload's own list)
 *   file    GET /api/consultation-images/file/<original> as the patient: one `file-download` row
 *   upload  POST /api/consultations/:id/images of a 1200×900 JPEG as the doctor: one `create` row
 *           inside the upload's transaction
 *
 * "Unaudited" removes the plugin's audit hooks from the running config and serves files with the
 * same handler built without its audit (everything else identical), then puts them back.
 * Options: --requests N (per variant and scenario, default 60, at most 300), --warmup N (default 5),
 * --uploads N (default 20, at most 100).
 */
import type { CollectionConfig, Payload } from 'payload'

import os from 'node:os'
import { parseArgs } from 'node:util'

import type { Clinic } from '../test/helpers/clinic.js'
import type { RestClient } from '../test/helpers/rest.js'

import { auditBeginWriteHook } from '../src/hooks/auditAccess.js'
import { sanitizePluginConfig } from '../src/sanitizePluginConfig.js'
import { createFileStore } from '../src/storage/fileStore.js'
import { getServeFileHandler, toUploadHandler } from '../src/storage/serveFile.js'
import { createClinic, uploadAs } from '../test/helpers/clinic.js'
import { makeJpeg } from '../test/helpers/images.js'
import { startPayload } from '../test/helpers/payload.js'
import { createRestClient } from '../test/helpers/rest.js'
import { photoForm } from '../test/helpers/setup.js'
import { loadAverage } from './lib/load.js'
import { median, percentile, ratio } from './lib/stats.js'

const { values: cli } = parseArgs({
  options: {
    requests: { default: '60', type: 'string' },
    uploads: { default: '20', type: 'string' },
    warmup: { default: '5', type: 'string' },
  },
})
const bounded = (value: string | undefined, fallback: number, max: number): number =>
  Math.min(max, Math.max(1, Number.isFinite(Number(value)) ? Math.trunc(Number(value)) : fallback))
const requests = bounded(cli.requests, 60, 300)
const uploads = bounded(cli.uploads, 20, 100)
const warmup = bounded(cli.warmup, 5, 50)

type Hooks = NonNullable<CollectionConfig['hooks']>
type Saved = { handlers: unknown[]; hooks: Hooks; slug: string }

/** Switches the plugin's auditing off and on in the running config. */
const auditSwitch = (payload: Payload, uploadsDir: string) => {
  const slugs = ['consultations', 'consultation-images'] as const
  const saved: Saved[] = slugs.map((slug) => {
    const config = payload.collections[slug].config
    return { handlers: [...(config.upload.handlers ?? [])], hooks: { ...config.hooks }, slug }
  })
  const plain = toUploadHandler(
    getServeFileHandler({
      collection: 'consultation-images',
      sizeNames: sanitizePluginConfig().imageSizes.map((size) => size.name),
      store: createFileStore(uploadsDir),
    }),
  )
  return (isAudited: boolean): void => {
    for (const { handlers, hooks, slug } of saved) {
      const config = payload.collections[slug as (typeof slugs)[number]].config
      config.hooks.afterRead = isAudited ? (hooks.afterRead ?? []) : []
      config.hooks.afterOperation = isAudited ? (hooks.afterOperation ?? []) : []
      config.hooks.afterError = isAudited ? (hooks.afterError ?? []) : (hooks.afterError ?? []).slice(1)
      config.hooks.beforeOperation = isAudited ? (hooks.beforeOperation ?? []) : (hooks.beforeOperation ?? []).filter((hook) => hook !== auditBeginWriteHook)
      if (slug === 'consultation-images') {
        config.upload.handlers = (isAudited ? handlers : [plain]) as never
      }
    }
  }
}

const ms = (value: number): string => value.toFixed(1)

const timed = async (run: () => Promise<Response>): Promise<number> => {
  const start = performance.now()
  const response = await run()
  await response.arrayBuffer()
  if (!response.ok) {
    throw new Error(`unexpected ${response.status}`)
  }
  return performance.now() - start
}

type Scenario = { name: string; run: () => Promise<Response>; times: number }

const measure = async (setAudited: (on: boolean) => void, { name, run, times }: Scenario) => {
  const samples = { off: [] as number[], on: [] as number[] }
  for (let round = 0; round < warmup + times; round += 1) {
    const order = round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)
    for (const variant of order) {
      setAudited(variant === 'on')
      const elapsed = await timed(run)
      if (round >= warmup) {
        samples[variant].push(elapsed)
      }
    }
  }
  setAudited(true)
  return { name, off: samples.off, on: samples.on }
}

const main = async (): Promise<void> => {
  const ctx = await startPayload('audit_bench')
  try {
    const clinic: Clinic = await createClinic(ctx.payload)
    const api: RestClient = createRestClient(ctx.payload.config)
    const own = clinic.consultations.own
    for (let index = 1; index < 100; index += 1) {
      await uploadAs(ctx.payload, clinic.doctor, own, {}, 100 + index)
    }
    const setAudited = auditSwitch(ctx.payload, ctx.uploadsDir)
    const jpeg = await makeJpeg({ seed: 5 })
    const scenarios: Scenario[] = [
      { name: `plugin list, 100 images (GET /consultations/:id/images?limit=100)`, run: () => api.request('GET', `/consultations/${own}/images?limit=100`, { token: clinic.doctor.token }), times: requests },
      { name: 'Payload list, 100 of 101 images, depth 0 (admin)', run: () => api.request('GET', '/consultation-images?limit=100&depth=0', { token: clinic.admin.token }), times: requests },
      { name: 'file route, original (patient)', run: () => api.request('GET', `/consultation-images/file/${clinic.images.own.filename}`, { token: clinic.patient.token }), times: requests },
      { name: 'upload, 1200×900 JPEG (POST /consultations/:id/images)', run: () => api.request('POST', `/consultations/${clinic.consultations.other}/images`, { body: photoForm(jpeg), token: clinic.otherDoctor.token }), times: uploads },
    ]
    const rows: string[] = []
    for (const scenario of scenarios) {
      const { name, off, on } = await measure(setAudited, scenario)
      rows.push(`| ${name} | ${on.length} | ${ms(median(off))} | ${ms(median(on))} | ${ratio(median(on) / median(off))} | ${ms(percentile(off, 95))} | ${ms(percentile(on, 95))} | ${ratio(percentile(on, 95) / percentile(off, 95))} |`)
    }
    const version = (await (ctx.payload.db as unknown as { pool: { query: (sql: string) => Promise<{ rows: { server_version: string }[] }> } }).pool.query('SHOW server_version')).rows[0]?.server_version
    const { totalDocs: count } = await ctx.payload.count({ collection: 'audit-events' })
    console.log(`machine: ${os.cpus()[0]?.model ?? '?'} × ${os.availableParallelism()}, ${Math.round(os.totalmem() / 2 ** 30)} GB; Node ${process.version}; PostgreSQL ${version ?? '?'}; load average ${await loadAverage()}`)
    console.log(`audit rows written during the run: ${count}; ${requests} requests per variant (${uploads} uploads), ${warmup} warm-up rounds\n`)
    console.log('| request | n per variant | median off ms | median on ms | ratio | p95 off ms | p95 on ms | ratio |')
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
    console.log(rows.join('\n'))
  } finally {
    await ctx.cleanup()
  }
}

await main()
process.exit(0)
