/**
 * ZIP benchmark helpers (bench/api.bench.ts): photo-like source JPEGs of 1–3 MB, many distinct
 * stored files made from them (real copies under new server-style names, one row each), a
 * streaming consumer for a `Response` body, and the sequential-read baselines.
 */
import type pg from 'pg'

import CRC32 from 'crc-32'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import ZipStream from 'zip-stream'

import { makeStoredBasename } from '../../src/storage/names.js'
import { cloneImageRows } from './api-sql.js'
import { ensureImage } from './images.js'

/**
 * Three photo-like JPEGs (skin texture + noise, EXIF orientation 6, P3 ICC: see lib/images.ts)
 * whose size after the plugin's q90 re-encode lands between 1 and 3 MB.
 */
export const zipSourceSpecs = [
  { file: 'zip-src-2400x1800-q90.jpg', height: 1800, max: 1_400_000, min: 1_100_000, quality: 90, width: 2400 },
  { file: 'zip-src-3000x2250-q90.jpg', height: 2250, max: 2_200_000, min: 1_800_000, quality: 90, width: 3000 },
  { file: 'zip-src-3264x2448-q90.jpg', height: 2448, max: 2_900_000, min: 2_500_000, quality: 90, width: 3264 },
]

export const ensureZipSources = async (dir: string): Promise<Buffer[]> => {
  const sources: Buffer[] = []
  for (const spec of zipSourceSpecs) {
    sources.push((await ensureImage(dir, spec)).bytes)
  }
  return sources
}

export type StoredTemplate = { filename: string; filesize: number; id: number }

/** Runs `task` over `items` with at most `limit` at a time. */
const eachLimited = async <T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> => {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next
      next += 1
      await task(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * `count` images in `consultationId`, each a real, distinct file: a copy (mode 0600, as the store
 * writes) of a template's stored file under a new server-style name, with a row cloned from the
 * template's row. Returns the new files' names in ID order (the ZIP's order).
 */
export const cloneImagesWithFiles = async (
  client: pg.Client,
  args: { consultationId: number; count: number; offset: number; templates: StoredTemplate[]; uploadsDir: string },
): Promise<string[]> => {
  const { consultationId, count, offset, templates, uploadsDir } = args
  const filenames = Array.from({ length: count }, () => `${makeStoredBasename()}.jpg`)
  await eachLimited(filenames, 8, async (filename, index) => {
    const template = templates[index % templates.length] as StoredTemplate
    const destination = path.join(uploadsDir, filename)
    await fs.copyFile(path.join(uploadsDir, template.filename), destination, fs.constants.COPYFILE_EXCL)
    await fs.chmod(destination, 0o600)
  })
  await cloneImageRows(client, {
    consultationIds: [consultationId],
    count,
    filenames,
    offset,
    perConsultation: count,
    templateIds: templates.map((template) => template.id),
  })
  const { rows } = await client.query<{ filename: string }>(
    'SELECT filename FROM consultation_images WHERE consultation_id = $1 ORDER BY id',
    [consultationId],
  )
  return rows.map((row) => row.filename)
}

export type Consumed = { bytes: number; chunks: number; ttfbMs: number; totalMs: number }

/**
 * Reads a response body to its end as a stream, keeping nothing but counts. `start` is when the
 * request was sent (time to first byte is measured from it).
 */
export const consumeBody = async (res: Response, start: number): Promise<Consumed> => {
  if (!res.body) {
    throw new Error(`no body (HTTP ${res.status})`)
  }
  const reader = res.body.getReader()
  let bytes = 0
  let chunks = 0
  let ttfbMs = Number.NaN
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) {
        break
      }
      if (chunks === 0) {
        ttfbMs = performance.now() - start
      }
      chunks += 1
      bytes += value.byteLength
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined)
    throw error
  }
  return { bytes, chunks, totalMs: performance.now() - start, ttfbMs }
}

/**
 * Baselines: the same files read one after the other with `createReadStream` (64 KiB chunks, as
 * the store's `openRead`), optionally hashing every chunk with SHA-256 and CRC-32 (the `crc-32`
 * package zip-stream uses) — the least work a ZIP with a SHA-256 manifest must do.
 */
export const readSequentially = async (paths: readonly string[], withDigests: boolean): Promise<{ bytes: number }> => {
  let bytes = 0
  for (const file of paths) {
    const hash = withDigests ? createHash('sha256') : undefined
    let crc = 0
    for await (const chunk of createReadStream(file)) {
      const buffer = chunk as Buffer
      bytes += buffer.length
      if (hash) {
        hash.update(buffer)
        crc = CRC32.buf(buffer, crc)
      }
    }
    hash?.digest('hex')
  }
  return { bytes }
}

/**
 * Reference: the same files through zip-stream alone (STORE, as the plugin uses it), read as a
 * Node stream: no database, no SHA-256, no web stream — what the ZIP library itself costs.
 */
export const zipStreamAlone = async (paths: readonly string[]): Promise<{ bytes: number }> => {
  const zip = new ZipStream({ store: true })
  const produce = (async () => {
    for (const [index, file] of paths.entries()) {
      await new Promise<void>((resolve, reject) => {
        zip.entry(createReadStream(file), { name: `images/${index}.jpg`, store: true }, (err) => {
          if (err) {
            reject(err)
          } else {
            resolve()
          }
        })
      })
    }
    zip.finalize()
  })()
  let bytes = 0
  for await (const chunk of zip) {
    bytes += (chunk as Buffer).length
  }
  await produce
  return { bytes }
}
