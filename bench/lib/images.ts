/**
 * Photo-like test JPEGs for the upload benchmark, made with sharp and cached in bench/.tmp/.
 *
 * Real skin photos compress like "texture + sensor noise", not like the smooth gradients of the
 * test fixtures: the pixels here are a skin tone with slow variation, pores and a lesion, plus
 * deterministic per-pixel noise whose amplitude is tuned (bisection, bounded) until the JPEG lands
 * in the wanted size range. EXIF as a phone writes it: orientation 6, camera, capture date, GPS;
 * Display P3 ICC profile.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'

export type BenchImage = { bytes: Buffer; height: number; noise: number; path: string; quality: number; width: number }

type Spec = {
  file: string
  height: number
  /** Bytes: the first encode inside [min, max] wins. */
  max: number
  min: number
  quality: number
  width: number
}

/** Stored landscape 4000 × 3000 with orientation 6: an upright 3000 × 4000 portrait photo, ~5 MB. */
export const photoSpec: Spec = { file: 'photo-12mp-q92.jpg', height: 3000, max: 5_600_000, min: 4_600_000, quality: 92, width: 4000 }

/** Just under the plugin's 10 MiB limit (10 485 760 bytes): a 24 MP q98 photo of 9.75–9.99 MB. */
export const largeSpec: Spec = { file: 'large-24mp-q98.jpg', height: 4000, max: 9_990_000, min: 9_750_000, quality: 98, width: 6000 }

const MAX_TUNING_STEPS = 12

/** mulberry32: a small deterministic PRNG, so every run benchmarks the same bytes. */
const prng = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Skin-like RGB pixels: tone with slow variation, a darker lesion, pores, and noise of ±`noise`. */
const skinPixels = (width: number, height: number, noise: number): Buffer => {
  const random = prng(0x5eed)
  const pixels = Buffer.allocUnsafe(width * height * 3)
  const cx = width * 0.55
  const cy = height * 0.45
  const rx = width * 0.09
  const ry = height * 0.11
  const pores = new Uint8Array(width * height)
  for (let index = 0; index < (width * height) / 180; index += 1) {
    pores[Math.floor(random() * width * height)] = 1
  }
  let offset = 0
  for (let y = 0; y < height; y += 1) {
    const fy = y / height
    for (let x = 0; x < width; x += 1) {
      const fx = x / width
      const slow = 12 * Math.sin(fx * 7.1 + fy * 2.3) + 8 * Math.sin(fy * 11.3 - fx * 3.7) + 5 * Math.sin((fx + fy) * 23.9)
      const dx = (x - cx) / rx
      const dy = (y - cy) / ry
      const lesion = Math.max(0, 1 - Math.sqrt(dx * dx + dy * dy))
      const pore = pores[y * width + x] ? -28 : 0
      // Triangular noise (sum of two uniforms): photo-like grain, luminance and a little chroma.
      const grain = (random() + random() - 1) * noise
      const chroma = (random() - 0.5) * noise * 0.4
      const base = slow + pore + grain
      pixels[offset] = clamp(214 + base - 95 * lesion + chroma)
      pixels[offset + 1] = clamp(168 + base - 100 * lesion)
      pixels[offset + 2] = clamp(142 + base - 90 * lesion - chroma)
      offset += 3
    }
  }
  return pixels
}

const clamp = (value: number): number => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value))

const phoneExif = {
  IFD0: { Make: 'Apple', Model: 'iPhone 15 Pro', Software: '17.4.1' },
  IFD2: { DateTimeOriginal: '2024:05:01 10:11:12', OffsetTimeOriginal: '+02:00', SubSecTimeOriginal: '345' },
  IFD3: { GPSLatitude: '48/1 51/1 2484/100', GPSLatitudeRef: 'N', GPSLongitude: '2/1 21/1 720/100', GPSLongitudeRef: 'E' },
}

const encode = (spec: Spec, noise: number): Promise<Buffer> =>
  sharp(skinPixels(spec.width, spec.height, noise), { raw: { channels: 3, height: spec.height, width: spec.width } })
    .withIccProfile('p3')
    .withExif(phoneExif)
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: spec.quality })
    .toBuffer()

/**
 * The spec's JPEG from bench/.tmp/ (made on first use): the noise amplitude is bisected, at most
 * {@link MAX_TUNING_STEPS} encodes, until the file size falls inside [min, max].
 */
export const ensureImage = async (dir: string, spec: Spec): Promise<BenchImage> => {
  const file = path.join(dir, spec.file)
  const meta = `${file}.json`
  try {
    const [bytes, saved] = await Promise.all([fs.readFile(file), fs.readFile(meta, 'utf8')])
    const { noise } = JSON.parse(saved) as { noise: number }
    return { bytes, height: spec.height, noise, path: file, quality: spec.quality, width: spec.width }
  } catch {
    // Not made yet.
  }
  let low = 0
  let high = 64
  let noise = 16
  for (let step = 0; step < MAX_TUNING_STEPS; step += 1) {
    const bytes = await encode(spec, noise)
    if (bytes.length >= spec.min && bytes.length <= spec.max) {
      await fs.mkdir(dir, { recursive: true })
      await fs.writeFile(file, bytes)
      await fs.writeFile(meta, JSON.stringify({ noise, size: bytes.length }))
      return { bytes, height: spec.height, noise, path: file, quality: spec.quality, width: spec.width }
    }
    if (bytes.length < spec.min) {
      low = noise
    } else {
      high = noise
    }
    noise = (low + high) / 2
  }
  throw new Error(`Could not tune ${spec.file} into ${spec.min}–${spec.max} bytes in ${MAX_TUNING_STEPS} steps`)
}
