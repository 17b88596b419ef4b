/**
 * Stage timing for a few extra uploads after the measured ones (never during them): timestamps
 * from hooks added at run time around the plugin's own hooks, and every sharp pipeline timed by
 * wrapping `payload.config.sharp`. Nothing in src/ is changed; the wrappers are removed afterwards.
 */
import type { CollectionConfig, Payload } from 'payload'

import fsp from 'node:fs/promises'
import { PerformanceObserver } from 'node:perf_hooks'
import type { Sharp, SharpOptions } from 'sharp'

type SharpFunction = (input?: Buffer | string, options?: SharpOptions) => Sharp

export type Span = { end: number; label: string; start: number }

export type Trace = {
  gc?: { pauses: { at: number; label: string; ms: number }[]; totalMs: number }
  marks: { label: string; t: number }[]
  spans: Span[]
}

/** Garbage collections on the main thread (PerformanceObserver), as spans. */
const gcKinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak callbacks' }

export const createTracer = () => {
  let origin = performance.now()
  let marks: { label: string; t: number }[] = []
  let spans: Span[] = []
  let gcs: Span[] = []
  const now = (): number => performance.now() - origin
  const record = (entry: { duration: number; startTime: number }): void => {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0
    gcs.push({ end: entry.startTime + entry.duration - origin, label: `GC ${gcKinds[kind] ?? kind}`, start: entry.startTime - origin })
  }
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      record(entry)
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  return {
    /** Main-thread GC time and pauses ≥ 5 ms since the last reset. */
    gcSummary: () => {
      for (const entry of observer.takeRecords()) {
        record(entry)
      }
      return {
        pauses: gcs.filter((gc) => gc.end - gc.start >= 5).map((gc) => ({ at: Math.round(gc.start), label: gc.label, ms: Math.round((gc.end - gc.start) * 10) / 10 })),
        totalMs: gcs.reduce((sum, gc) => sum + gc.end - gc.start, 0),
      }
    },
    mark: (label: string): void => {
      marks.push({ label, t: now() })
    },
    now,
    reset: (): void => {
      origin = performance.now()
      marks = []
      spans = []
      gcs = []
    },
    snapshot(): Trace {
      return { gc: this.gcSummary(), marks: [...marks], spans: [...spans] }
    },
    stop: (): void => {
      observer.disconnect()
    },
    span: (label: string, start: number): void => {
      spans.push({ end: now(), label, start })
    },
  }
}

export type Tracer = ReturnType<typeof createTracer>

const describeInput = (input: unknown, options?: SharpOptions): string => {
  if (options?.raw) {
    return `raw ${options.raw.width}×${options.raw.height}`
  }
  if (Buffer.isBuffer(input)) {
    return `${(input.length / 1e6).toFixed(1)} MB buffer`
  }
  return typeof input === 'string' ? 'file' : 'input'
}

/** A sharp whose instances report each `toBuffer()` and `metadata()` as a span. */
export const tracedSharp = (real: SharpFunction, tracer: Tracer): SharpFunction => {
  const wrap = (instance: Sharp, source: string): Sharp => {
    const toBuffer = instance.toBuffer.bind(instance) as (options?: { resolveWithObject: true }) => Promise<unknown>
    const metadata = instance.metadata.bind(instance)
    const clone = instance.clone.bind(instance)
    Object.assign(instance, {
      clone: () => wrap(clone(), `${source} (clone)`),
      metadata: async () => {
        const start = tracer.now()
        const result = await metadata()
        tracer.span(`sharp.metadata  ← ${source}`, start)
        return result
      },
      toBuffer: async (options?: { resolveWithObject: true }) => {
        const start = tracer.now()
        const result = await toBuffer(options)
        const info = (result as { info?: { format: string; height: number; size: number; width: number } }).info
        const output = info ? `${info.format} ${info.width}×${info.height} ${(info.size / 1e6).toFixed(2)} MB` : 'buffer'
        tracer.span(`sharp.toBuffer → ${output}  ← ${source}`, start)
        return result
      },
    })
    return instance
  }
  return (input, options) => wrap(real(input, options), describeInput(input, options))
}

type Hook = ((args: Record<string, unknown>) => unknown) & { name: string }

/**
 * Adds a marking hook before the first and after each of a collection's own hooks (create
 * operations only) and wraps its sharp; returns the undo. In a create, Payload runs:
 * beforeOperation (after the request was parsed, the user authenticated and the transaction
 * begun) → generateFileData (imageSizes) → beforeValidate → beforeChange → [Payload's own file
 * writes] → db.create → afterRead → afterChange → afterOperation → commit.
 */
/**
 * Times the promise-API file operations on paths under `dir` (the plugin's file store uses
 * `fs.writeFile`, `fs.link`, `fs.rm`, `fs.mkdir` of `node:fs/promises`); returns the undo.
 */
const traceFileOperations = (dir: string, tracer: Tracer): (() => void) => {
  const names = ['writeFile', 'link', 'rm', 'mkdir', 'copyFile', 'chmod', 'unlink'] as const
  const target = fsp as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
  const saved = Object.fromEntries(names.map((name) => [name, target[name]]))
  for (const name of names) {
    const real = saved[name]
    if (!real) {
      continue
    }
    target[name] = async (...args: unknown[]) => {
      const file = typeof args[0] === 'string' ? args[0] : ''
      if (!file.startsWith(dir)) {
        return real(...args)
      }
      const start = tracer.now()
      try {
        return await real(...args)
      } finally {
        const data = name === 'writeFile' && Buffer.isBuffer(args[1]) ? ` ${(args[1].length / 1e6).toFixed(2)} MB` : ''
        tracer.span(`fs.${name}${data}`, start)
      }
    }
  }
  return () => {
    for (const name of names) {
      if (saved[name]) {
        target[name] = saved[name]
      }
    }
  }
}

export const instrument = (payload: Payload, slug: string, tracer: Tracer, filesDir?: string): (() => void) => {
  const collection = (payload.collections as Record<string, { config: { hooks: NonNullable<CollectionConfig['hooks']> } }>)[slug]
  if (!collection) {
    throw new Error(`no collection ${slug}`)
  }
  const hooks = collection.config.hooks as unknown as Record<string, Hook[] | undefined>
  const saved = Object.fromEntries(Object.entries(hooks).map(([name, list]) => [name, list ? [...list] : list]))
  const passThrough: Record<string, string> = { afterChange: 'doc', afterOperation: 'result', beforeChange: 'data', beforeOperation: 'args', beforeValidate: 'data' }
  for (const [name, key] of Object.entries(passThrough)) {
    const own = hooks[name] ?? []
    const marker = (label: string) => (args: Record<string, unknown>) => {
      if (args.operation === 'create') {
        tracer.mark(label)
      }
      return args[key]
    }
    hooks[name] = [
      marker(`${name} starts`),
      ...own.flatMap((hook, index) => [hook, marker(`${name} hook ${index + 1}/${own.length}${hook.name ? ` (${hook.name})` : ''} done`)]),
    ]
  }
  const config = payload.config as unknown as { sharp: SharpFunction }
  const realSharp = config.sharp
  config.sharp = tracedSharp(realSharp, tracer)
  const undoFiles = filesDir ? traceFileOperations(filesDir, tracer) : undefined
  return () => {
    for (const name of Object.keys(hooks)) {
      hooks[name] = saved[name]
    }
    config.sharp = realSharp
    undoFiles?.()
  }
}
