import os from 'node:os'
import { Worker } from 'node:worker_threads'

import { damagedImageError, IngestError, tooManyPixelsError } from './errors.js'

/** RGBA pixels of a HEIC's primary image, upright (libheif applies the container's irot/imir). */
export type DecodedHeic = { hasAlpha: boolean; height: number; pixels: Buffer; width: number }

export type HeicDecoderOptions = {
  /** Terminate a worker after this long without work (its WebAssembly memory goes with it). */
  idleMs: number
  /** At most this many decodes run at once, one worker each; the rest wait in line. */
  maxWorkers: number
  /** A decode still running after this long is stopped (its worker terminated) and fails with 422. */
  timeoutMs: number
  /** The worker script; only tests change it. */
  workerUrl?: URL
}

type Reply =
  | { code: 'decode' | 'too-large'; id: number; message: string; ok: false }
  | { hasAlpha: boolean; height: number; id: number; ok: true; pixels: Uint8Array; width: number }
  | { ready: true }

type Job = {
  data: Uint8Array
  id: number
  maxPixels: number
  reject: (error: Error) => void
  resolve: (decoded: DecodedHeic) => void
}

/** `ready` once the worker has loaded its decoder (it says so before taking any job). */
type Slot = { idleTimer?: NodeJS.Timeout; job?: Job; jobTimer?: NodeJS.Timeout; ready: boolean; worker: Worker }

const defaults: HeicDecoderOptions = {
  idleMs: 30_000,
  maxWorkers: Math.max(1, os.availableParallelism()),
  timeoutMs: 60_000,
  // Present (as undefined) so that restoring these settings also restores the default worker.
  workerUrl: undefined,
}

let options: HeicDecoderOptions = { ...defaults }
let nextId = 1
const queue: Job[] = []
const slots = new Set<Slot>()

/*
 * The worker runs from this package's own `heicWorker.mjs`, unbundled, beside this module.
 * Written as `new Worker(new URL('./heicWorker.mjs', import.meta.url))`, webpack would instead
 * bundle it as a worker chunk and, in a Next.js server bundle, load that chunk from
 * '/_next/<name>.js', which does not exist (vercel/next.js#67063; checked with Next 16.4 here).
 * Reading `import.meta.url` through a variable keeps the URL opaque to bundlers; webpack still
 * replaces `import.meta.url` with this file's `file:` URL.
 */
const moduleUrl = import.meta.url
const defaultWorkerUrl = (): URL => new URL('./heicWorker.mjs', moduleUrl)

const createWorker = (): Worker => new Worker(options.workerUrl ?? defaultWorkerUrl(), { name: 'derma-images-heic' })

const finish = (slot: Slot): Job | undefined => {
  const job = slot.job
  clearTimeout(slot.jobTimer)
  slot.job = undefined
  slot.jobTimer = undefined
  return job
}

const retire = (slot: Slot): void => {
  clearTimeout(slot.idleTimer)
  slots.delete(slot)
  void slot.worker.terminate()
}

const rest = (slot: Slot): void => {
  // An idle worker must not keep the process alive, and goes away after `idleMs`.
  slot.worker.unref()
  slot.idleTimer = setTimeout(() => {
    retire(slot)
  }, options.idleMs)
  slot.idleTimer.unref()
}

const fail = (slot: Slot, error: Error): void => {
  finish(slot)?.reject(error)
  retire(slot)
  pump()
}

const onReply = (slot: Slot, reply: Reply): void => {
  if ('ready' in reply) {
    slot.ready = true
    return
  }
  const job = slot.job
  if (job?.id !== reply.id) {
    return
  }
  finish(slot)
  if (reply.ok) {
    job.resolve({
      hasAlpha: reply.hasAlpha,
      height: reply.height,
      pixels: Buffer.from(reply.pixels.buffer, reply.pixels.byteOffset, reply.pixels.byteLength),
      width: reply.width,
    })
  } else {
    job.reject(reply.code === 'too-large' ? tooManyPixelsError(job.maxPixels) : damagedImageError(new Error(reply.message)))
  }
  rest(slot)
  pump()
}

/**
 * A worker that dies after loading its decoder died on the photo (a 400, like any undecodable
 * file); one that dies before (its script or libheif missing from the deployment, no memory for
 * its WebAssembly) is the server's fault: a plain error, so the upload answers 500 and the cause
 * is logged, instead of telling the clinician their photo is damaged.
 */
const failureOf = (slot: Slot, cause: Error): Error =>
  slot.ready ? damagedImageError(cause) : new Error(`payload-derma-images: the HEIC decoder could not start (${cause.message})`, { cause })

const spawn = (): Slot => {
  const slot: Slot = { ready: false, worker: createWorker() }
  slot.worker.on('message', (reply: Reply) => {
    onReply(slot, reply)
  })
  slot.worker.on('error', (error) => {
    fail(slot, failureOf(slot, error))
  })
  slot.worker.on('exit', (code) => {
    if (slots.has(slot)) {
      fail(slot, failureOf(slot, new Error(`HEIC decoder exited with code ${String(code)}`)))
    }
  })
  slots.add(slot)
  return slot
}

const start = (slot: Slot, job: Job): void => {
  clearTimeout(slot.idleTimer)
  slot.job = job
  slot.worker.ref()
  slot.jobTimer = setTimeout(() => {
    fail(slot, new IngestError(422, 'This image took too long to decode.'))
  }, options.timeoutMs)
  // A copy of exactly the file's bytes (a Buffer may be a view into a larger pool), moved to the worker.
  const data = new Uint8Array(job.data)
  slot.worker.postMessage({ data, id: job.id, maxPixels: job.maxPixels }, [data.buffer])
}

function pump(): void {
  while (queue.length > 0) {
    const slot = [...slots].find((candidate) => !candidate.job) ?? (slots.size < options.maxWorkers ? spawn() : undefined)
    const job = slot ? queue.shift() : undefined
    if (!slot || !job) {
      return
    }
    start(slot, job)
  }
}

/**
 * Decodes a HEIC/HEIF's primary image to RGBA in a worker thread, so the event loop stays free.
 * At most `maxWorkers` decodes run at once; a worker that crashes on the photo fails its decode
 * with a 400, one that cannot start with a plain error (500), a slow one with a 422, and idle
 * workers are terminated.
 */
export const decodeHeic = (data: Uint8Array, maxPixels: number): Promise<DecodedHeic> =>
  new Promise<DecodedHeic>((resolve, reject) => {
    queue.push({ data, id: nextId++, maxPixels, reject, resolve })
    pump()
  })

/** Changes the pool's settings for decodes started from now on; returns the previous settings. */
export const configureHeicDecoders = (changes: Partial<HeicDecoderOptions>): HeicDecoderOptions => {
  const previous = options
  options = { ...options, ...changes }
  return previous
}

/** Busy and idle workers and queued decodes, for tests and health checks. */
export const heicDecoderStats = (): { busy: number; queued: number; workers: number } => ({
  busy: [...slots].filter((slot) => slot.job).length,
  queued: queue.length,
  workers: slots.size,
})

/** Terminates every worker; running and queued decodes fail. For tests and graceful shutdown. */
export const closeHeicDecoders = async (): Promise<void> => {
  const closing = [...slots].map((slot) => {
    finish(slot)?.reject(new IngestError(422, 'The image decoder was shut down.'))
    clearTimeout(slot.idleTimer)
    slots.delete(slot)
    return slot.worker.terminate()
  })
  for (const job of queue.splice(0)) {
    job.reject(new IngestError(422, 'The image decoder was shut down.'))
  }
  await Promise.all(closing)
}
