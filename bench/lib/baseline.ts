/**
 * Baseline (b): bare sharp doing the pixel work an upload needs, nothing else: decode, auto-rotate,
 * the original re-encoded as JPEG q90 keeping its ICC profile (and no other metadata), a 300 × 300
 * cover JPEG q85 thumbnail and a 1600 × 1600 inside JPEG q85 preview — the same operations and
 * settings as src/image/encode.ts and src/defaults.ts. Several ways of arranging that work are
 * measured; the fastest is the baseline (it is what a hand-written pipeline could achieve).
 */
import type { Sharp } from 'sharp'

import sharp from 'sharp'

export type Outputs = { original: { height: number; size: number; width: number }; preview: { height: number; width: number }; thumbnail: { height: number; width: number } }

type Input = Buffer

const original = (image: Sharp) => image.keepIccProfile().toColourspace('srgb').jpeg({ quality: 90 }).toBuffer({ resolveWithObject: true })
const thumbnail = (image: Sharp) => image.resize(300, 300, { fit: 'cover', position: 'centre' }).jpeg({ mozjpeg: false, quality: 85 }).toBuffer({ resolveWithObject: true })
const preview = (image: Sharp) => image.resize(1600, 1600, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer({ resolveWithObject: true })

type Rendered = Awaited<ReturnType<typeof original>>

const outputs = ([o, t, p]: [Rendered, Rendered, Rendered]): Outputs => ({
  original: { height: o.info.height, size: o.info.size, width: o.info.width },
  preview: { height: p.info.height, width: p.info.width },
  thumbnail: { height: t.info.height, width: t.info.width },
})

export const baselineVariants = {
  /** Three independent pipelines from the file's bytes, run concurrently (shrink-on-load for the sizes). */
  'three pipelines, concurrent': async (input: Input) =>
    outputs(await Promise.all([original(sharp(input).rotate()), thumbnail(sharp(input).rotate()), preview(sharp(input).rotate())])),
  /** One rotated pipeline cloned three times (what Payload does for image sizes), concurrent. */
  'clone() ×3, concurrent': async (input: Input) => {
    const base = sharp(input).rotate()
    return outputs(await Promise.all([original(base.clone()), thumbnail(base.clone()), preview(base.clone())]))
  },
  /** The same three pipelines one after the other. */
  'three pipelines, sequential': async (input: Input) => {
    const o = await original(sharp(input).rotate())
    const t = await thumbnail(sharp(input).rotate())
    const p = await preview(sharp(input).rotate())
    return outputs([o, t, p])
  },
  /**
   * The product's order until 2026-12-01: the original first, then both sizes concurrently from the
   * re-encoded original (as Payload's imageSizes see it). Not a candidate for the baseline: a reference.
   * (Payload's pipelines also call rotate(); on an already upright image it does nothing.)
   */
  'original, then sizes from it': async (input: Input) => {
    const o = await original(sharp(input).rotate())
    const base = sharp(o.data).rotate()
    const [t, p] = await Promise.all([thumbnail(base.clone()), preview(base.clone())])
    return outputs([o, t, p])
  },
  /** The parts alone, for reading the others (references only). */
  'original alone': async (input: Input) => {
    const o = await original(sharp(input).rotate())
    return outputs([o, fake(300, 300), fake(1600, 1600)])
  },
  'thumbnail alone (from the file)': async (input: Input) => {
    const [metadata, t] = await Promise.all([sharp(input).metadata(), thumbnail(sharp(input).rotate())])
    return outputs([fake(metadata.autoOrient.width, metadata.autoOrient.height), t, fake(1600, 1600)])
  },
  'preview alone (from the file)': async (input: Input) => {
    const [metadata, p] = await Promise.all([sharp(input).metadata(), preview(sharp(input).rotate())])
    return outputs([fake(metadata.autoOrient.width, metadata.autoOrient.height), fake(300, 300), p])
  },
} as const

/** Stands in for an output a reference variant does not make, so that its check still passes. */
const fake = (width: number, height: number): Rendered =>
  ({ data: Buffer.alloc(0), info: { height, size: 0, width } }) as unknown as Rendered

export type BaselineName = keyof typeof baselineVariants

/** The variants that may serve as the baseline (the old product-order reference may not). */
export const baselineCandidates: BaselineName[] = ['three pipelines, concurrent', 'clone() ×3, concurrent', 'three pipelines, sequential']

export const checkOutputs = (result: Outputs, upright: { height: number; width: number }): void => {
  const ok =
    result.original.width === upright.width &&
    result.original.height === upright.height &&
    result.thumbnail.width === 300 &&
    result.thumbnail.height === 300 &&
    Math.max(result.preview.width, result.preview.height) === 1600
  if (!ok) {
    throw new Error(`baseline produced unexpected sizes: ${JSON.stringify(result)}`)
  }
}
