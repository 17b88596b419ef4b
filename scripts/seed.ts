/**
 * Demo data for local development: users (admin, doctors, patients), consultations and
 * synthetic lesion photos generated with sharp (nothing is downloaded, no real patient data).
 */
import type { Payload } from 'payload'

import type { ConsentScope } from '../src/vocabulary/consent.js'

import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp, { type OverlayOptions } from 'sharp'

export type DemoRole = 'admin' | 'doctor' | 'patient'
export type DemoLogin = { email: string; password: string; role: DemoRole }
export type SeedResult = { created: boolean; logins: DemoLogin[] }

type Acquisition = 'clinical-close-up' | 'clinical-overview' | 'dermoscopic' | 'other'
type BodySite = 'face' | 'forearm' | 'scalp' | 'thigh' | 'upper-back'
type Laterality = 'left' | 'midline' | 'right'
type ConsultationStatus = 'cancelled' | 'completed' | 'in-progress' | 'scheduled'
type ImageRole = 'baseline' | 'follow-up' | 'post-treatment' | 'pre-treatment'
type LesionStatus = 'biopsied' | 'excised' | 'monitoring' | 'resolved'

/* ------------------------------------------------------------------------------------------ */
/* Synthetic images                                                                           */
/* ------------------------------------------------------------------------------------------ */

export type DemoImageOptions = {
  /** A round dermoscope field of view with a black surround. @default variant % 4 === 3 */
  dermoscopic?: boolean
  /** EXIF written into the JPEG; `null` for none. @default iPhone 15 Pro EXIF on even variants */
  exif?: DemoExif | null
  /** @default depends on the variant (1200–2000 px wide) */
  height?: number
  /** @default depends on the variant */
  width?: number
}

export type DemoExif = {
  /** Capture date, written as IFD0 DateTime and Exif DateTimeOriginal. */
  date?: Date
  make: string
  model: string
}

const SIZES: ReadonlyArray<readonly [number, number]> = [
  [1600, 1200],
  [1200, 1600],
  [2000, 1500],
  [1440, 1080],
  [1800, 1350],
]

/** Skin tones from light to dark, with a matching lesion palette [centre, body, rim]. */
const PALETTES: ReadonlyArray<{ lesion: readonly [string, string, string]; skin: string }> = [
  { lesion: ['#3a2318', '#5e3a26', '#8a5a3f'], skin: '#f0c8ae' },
  { lesion: ['#33200f', '#553520', '#7d5034'], skin: '#e2b08e' },
  { lesion: ['#2c1a10', '#4a2c1b', '#6e4328'], skin: '#c98d66' },
  { lesion: ['#21130b', '#3a2314', '#57351f'], skin: '#a86f4c' },
  { lesion: ['#3f2417', '#6b3f2a', '#95604a'], skin: '#eabfa3' },
]

/** mulberry32: small deterministic PRNG, so a variant always gives the same picture. */
const prng = (seed: number): (() => number) => {
  let state = (seed * 0x9e3779b1) >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const shade = (hex: string, factor: number): string => {
  const value = Number.parseInt(hex.slice(1), 16)
  const channel = (shift: number): string =>
    Math.max(0, Math.min(255, Math.round(((value >> shift) & 0xff) * factor)))
      .toString(16)
      .padStart(2, '0')
  return `#${channel(16)}${channel(8)}${channel(0)}`
}

/** A closed, irregular blob outline around (cx, cy): a circle perturbed by a few harmonics. */
const blobPath = (random: () => number, cx: number, cy: number, radius: number, irregularity: number): string => {
  const harmonics = Array.from({ length: 5 }, (_, i) => ({
    amplitude: (irregularity * (0.5 + random())) / (i + 1.5),
    k: i + 2,
    phase: random() * Math.PI * 2,
  }))
  const stretch = 0.8 + random() * 0.4
  const rotation = random() * Math.PI
  const points: string[] = []
  const steps = 160
  for (let i = 0; i < steps; i++) {
    const theta = (i / steps) * Math.PI * 2
    let r = 1
    for (const { amplitude, k, phase } of harmonics) {
      r += amplitude * Math.sin(k * theta + phase)
    }
    r += (random() - 0.5) * irregularity * 0.08
    const x = Math.cos(theta) * r * radius * stretch
    const y = Math.sin(theta) * r * radius
    const xr = x * Math.cos(rotation) - y * Math.sin(rotation)
    const yr = x * Math.sin(rotation) + y * Math.cos(rotation)
    points.push(`${(cx + xr).toFixed(1)},${(cy + yr).toFixed(1)}`)
  }
  return `M${points.join(' L')} Z`
}

const skinSvg = (random: () => number, width: number, height: number, skin: string, dermoscopic: boolean): string => {
  const seed = Math.floor(random() * 1000)
  // Dermoscopy magnifies ~10×: coarser texture, flatter lighting.
  const texture = dermoscopic ? 0.006 : 0.018
  const lightX = 30 + random() * 40
  const lightY = 25 + random() * 30
  // Soft reddish/darker patches; radial gradients fade them out (a blur filter is much slower).
  const blotchDefs: string[] = []
  const blotches = Array.from({ length: 6 }, (_, i) => {
    const rx = width * (0.08 + random() * 0.18)
    const colour = shade(skin, 0.86 + random() * 0.06)
    blotchDefs.push(
      `<radialGradient id="blotch${i}"><stop offset="0" stop-color="${colour}" stop-opacity="${(0.3 + random() * 0.25).toFixed(2)}"/><stop offset="1" stop-color="${colour}" stop-opacity="0"/></radialGradient>`,
    )
    return `<ellipse cx="${(random() * width).toFixed(0)}" cy="${(random() * height).toFixed(0)}" rx="${rx.toFixed(0)}" ry="${(rx * (0.5 + random() * 0.6)).toFixed(0)}" fill="url(#blotch${i})"/>`
  }).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs>
    <radialGradient id="light" cx="${lightX.toFixed(0)}%" cy="${lightY.toFixed(0)}%" r="85%">
      <stop offset="0" stop-color="${shade(skin, 1.07)}"/>
      <stop offset="0.55" stop-color="${skin}"/>
      <stop offset="1" stop-color="${shade(skin, dermoscopic ? 0.95 : 0.8)}"/>
    </radialGradient>
    ${blotchDefs.join('')}
    <filter id="pores" x="0" y="0" width="100%" height="100%">
      <feTurbulence type="fractalNoise" baseFrequency="${texture}" numOctaves="3" seed="${seed}"/>
      <feColorMatrix type="matrix" values="0 0 0 0 0.45  0 0 0 0 0.25  0 0 0 0 0.2  0 0 0 -1.6 1.0"/>
    </filter>
    <filter id="grain" x="0" y="0" width="100%" height="100%">
      <feTurbulence type="fractalNoise" baseFrequency="${(texture * 5).toFixed(3)}" numOctaves="2" seed="${seed + 1}"/>
      <feColorMatrix type="matrix" values="0 0 0 0 0.5  0 0 0 0 0.3  0 0 0 0 0.25  0 0 0 -2.2 1.2"/>
    </filter>
  </defs>
  <rect width="100%" height="100%" fill="url(#light)"/>
  ${blotches}
  <rect width="100%" height="100%" filter="url(#pores)" opacity="0.28"/>
  <rect width="100%" height="100%" filter="url(#grain)" opacity="0.18"/>
</svg>`
}

const lesionSvg = (
  random: () => number,
  width: number,
  height: number,
  palette: readonly [string, string, string],
  dermoscopic: boolean,
): string => {
  const short = Math.min(width, height)
  const radius = short * (dermoscopic ? 0.22 + random() * 0.06 : 0.07 + random() * 0.06)
  const cx = width / 2 + (random() - 0.5) * width * (dermoscopic ? 0.06 : 0.3)
  const cy = height / 2 + (random() - 0.5) * height * (dermoscopic ? 0.06 : 0.3)
  const irregularity = 0.12 + random() * 0.18
  const [centre, body, rim] = palette
  const outline = blobPath(random, cx, cy, radius, irregularity)
  // Asymmetric darker area, off-centre.
  const core = blobPath(
    random,
    cx + (random() - 0.5) * radius * 0.5,
    cy + (random() - 0.5) * radius * 0.5,
    radius * (0.35 + random() * 0.2),
    irregularity * 1.3,
  )
  const dots = Array.from({ length: dermoscopic ? 24 : 7 }, () => {
    const angle = random() * Math.PI * 2
    const distance = Math.sqrt(random()) * radius * 0.75
    const r = radius * (dermoscopic ? 0.012 + random() * 0.02 : 0.02 + random() * 0.03)
    return `<circle cx="${(cx + Math.cos(angle) * distance).toFixed(1)}" cy="${(cy + Math.sin(angle) * distance).toFixed(1)}" r="${r.toFixed(1)}" fill="${centre}" fill-opacity="${(0.5 + random() * 0.4).toFixed(2)}"/>`
  }).join('')
  // A few hairs crossing the field.
  const hairs = Array.from({ length: 2 + Math.floor(random() * 4) }, () => {
    const x0 = random() * width
    const y0 = random() * height
    const angle = random() * Math.PI * 2
    const length = short * (0.15 + random() * 0.3)
    const x1 = x0 + Math.cos(angle) * length
    const y1 = y0 + Math.sin(angle) * length
    const bend = (random() - 0.5) * length * 0.3
    return `<path d="M${x0.toFixed(0)},${y0.toFixed(0)} Q${((x0 + x1) / 2 + bend).toFixed(0)},${((y0 + y1) / 2 - bend).toFixed(0)} ${x1.toFixed(0)},${y1.toFixed(0)}" stroke="#2a1b14" stroke-opacity="${(0.35 + random() * 0.3).toFixed(2)}" stroke-width="${(short * (dermoscopic ? 0.006 : 0.0018)).toFixed(1)}" fill="none" stroke-linecap="round"/>`
  }).join('')
  const network = dermoscopic
    ? // Filter only the lesion's bounding box: feTurbulence over the whole frame is slow.
      `<rect x="${(cx - radius * 1.8).toFixed(0)}" y="${(cy - radius * 1.8).toFixed(0)}" width="${(radius * 3.6).toFixed(0)}" height="${(radius * 3.6).toFixed(0)}" filter="url(#network)" clip-path="url(#inside)" opacity="0.55"/>`
    : ''
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs>
    <radialGradient id="pigment" cx="50%" cy="50%" r="55%">
      <stop offset="0" stop-color="${body}"/>
      <stop offset="0.7" stop-color="${body}"/>
      <stop offset="1" stop-color="${rim}"/>
    </radialGradient>
    <clipPath id="inside"><path d="${outline}"/></clipPath>
    <filter id="edge" x="-20%" y="-20%" width="140%" height="140%">
      <feGaussianBlur stdDeviation="${(radius * (dermoscopic ? 0.04 : 0.05)).toFixed(1)}"/>
    </filter>
    <filter id="coreBlur" x="-30%" y="-30%" width="160%" height="160%">
      <feGaussianBlur stdDeviation="${(radius * 0.12).toFixed(1)}"/>
    </filter>
    <filter id="dotBlur"><feGaussianBlur stdDeviation="${(radius * 0.01).toFixed(1)}"/></filter>
    <filter id="network" x="0" y="0" width="100%" height="100%">
      <feTurbulence type="turbulence" baseFrequency="${(4 / radius).toFixed(4)}" numOctaves="2" seed="${Math.floor(random() * 1000)}"/>
      <feColorMatrix type="matrix" values="0 0 0 0 0.16  0 0 0 0 0.09  0 0 0 0 0.05  -2.2 0 0 0 1.2"/>
    </filter>
  </defs>
  <path d="${outline}" fill="url(#pigment)" fill-opacity="0.92" filter="url(#edge)"/>
  <path d="${core}" fill="${centre}" fill-opacity="0.7" filter="url(#coreBlur)"/>
  ${network}
  <g filter="url(#dotBlur)">${dots}</g>
  ${hairs}
</svg>`
}

/** Black surround of a contact dermoscope, with a soft edge. */
const vignetteSvg = (width: number, height: number): string => {
  const r = Math.min(width, height) * 0.47
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs>
    <radialGradient id="v" cx="${width / 2}" cy="${height / 2}" r="${r}" gradientUnits="userSpaceOnUse">
      <stop offset="0.86" stop-color="#000" stop-opacity="0"/>
      <stop offset="0.97" stop-color="#000" stop-opacity="0.55"/>
      <stop offset="1" stop-color="#000" stop-opacity="1"/>
    </radialGradient>
  </defs>
  <rect width="100%" height="100%" fill="url(#v)"/>
</svg>`
}

const exifDate = (date: Date): string => {
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${date.getUTCFullYear()}:${pad(date.getUTCMonth() + 1)}:${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
}

/**
 * A synthetic, deterministic "clinical photo" of a pigmented skin lesion (JPEG q90): skin-tone
 * background with lighting and texture, an irregular brown blob, hairs and sensor noise.
 */
const renderDemoImage = async (variant: number, options: DemoImageOptions): Promise<Buffer> => {
  const index = Math.abs(Math.trunc(variant))
  const random = prng(index + 1)
  const [defaultWidth, defaultHeight] = SIZES[index % SIZES.length] as readonly [number, number]
  const width = options.width ?? defaultWidth
  const height = options.height ?? defaultHeight
  const dermoscopic = options.dermoscopic ?? index % 4 === 3
  const palette = PALETTES[index % PALETTES.length] as (typeof PALETTES)[number]
  const exif: DemoExif | null =
    options.exif !== undefined
      ? options.exif
      : index % 2 === 0
        ? { date: new Date(Date.UTC(2026, 0, 12 + index, 9, 30 + index, 0)), make: 'Apple', model: 'iPhone 15 Pro' }
        : null

  // Sensor-like noise (mostly luminance, a little chroma) from the seeded PRNG: deterministic,
  // and much faster than sharp's gaussian `create.noise` at these sizes.
  const noise = Buffer.allocUnsafe(width * height * 3)
  for (let i = 0; i < noise.length; i += 3) {
    const luminance = (random() + random() - 1) * 44
    noise[i] = 128 + luminance + (random() - 0.5) * 10
    noise[i + 1] = 128 + luminance + (random() - 0.5) * 10
    noise[i + 2] = 128 + luminance + (random() - 0.5) * 10
  }

  const layers: OverlayOptions[] = [
    { input: Buffer.from(lesionSvg(random, width, height, palette.lesion, dermoscopic)) },
    { blend: 'soft-light', input: noise, raw: { channels: 3, height, width } },
  ]
  if (dermoscopic) {
    layers.push({ input: Buffer.from(vignetteSvg(width, height)) })
  }

  // The skin has only low-frequency detail: render it at half resolution (4× fewer feTurbulence
  // pixels) and upscale; the lesion, hairs and noise are drawn at full resolution.
  const skin = await sharp(Buffer.from(skinSvg(random, width, height, palette.skin, dermoscopic)), { density: 36 })
    .resize(width, height, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer()

  let image = sharp(skin, { raw: { channels: 3, height, width } })
    .composite(layers)
    .flatten({ background: palette.skin })
    .jpeg({ quality: 90 })
  if (exif) {
    const stamp = exif.date ? exifDate(exif.date) : undefined
    image = image.withExif({
      IFD0: { Make: exif.make, Model: exif.model, ...(stamp ? { DateTime: stamp } : {}) },
      // IFD2 is the Exif sub-IFD in libvips' naming.
      ...(stamp ? { IFD2: { DateTimeOriginal: stamp } } : {}),
    })
  }
  return image.toBuffer()
}

/**
 * Rendered demo photos, kept between runs: drawing one (feTurbulence skin, noise, a 12 MP
 * composite) takes seconds, and every browser test file seeds the demo clinic afresh. The key
 * is this file's own source and the arguments, so any change to the drawing renders anew. Synthetic
 * images only; a failed read or write just renders.
 */
const demoImageCache = path.join(os.tmpdir(), 'payload-derma-images-demo-photos')

const demoImageKey = async (variant: number, options: DemoImageOptions): Promise<string> =>
  createHash('sha256')
    .update(await fs.readFile(fileURLToPath(import.meta.url)))
    .update(JSON.stringify([variant, options]))
    .digest('hex')

export const generateDemoImage = async (variant: number, options: DemoImageOptions = {}): Promise<Buffer> => {
  const file = path.join(demoImageCache, `${await demoImageKey(variant, options)}.jpg`)
  const cached = await fs.readFile(file).catch(() => undefined)
  if (cached) {
    return cached
  }
  const image = await renderDemoImage(variant, options)
  const partial = `${file}.${String(process.pid)}.partial`
  await fs
    .mkdir(demoImageCache, { recursive: true })
    .then(() => fs.writeFile(partial, image))
    .then(() => fs.rename(partial, file))
    .catch(() => fs.rm(partial, { force: true }))
  return image
}

/* ------------------------------------------------------------------------------------------ */
/* Demo records                                                                               */
/* ------------------------------------------------------------------------------------------ */

const ADMIN_EMAIL = 'admin@clinic.test'

type DemoUser = DemoLogin & { key: string; name: string }

/** Demo-only accounts on a `.test` domain; the passwords are printed on purpose. */
export const DEMO_USERS: ReadonlyArray<DemoUser> = [
  { email: ADMIN_EMAIL, key: 'admin', name: 'Clinic Admin', password: 'demo-admin-2026', role: 'admin' },
  { email: 'dr.martin@clinic.test', key: 'martin', name: 'Dr. Claire Martin', password: 'demo-doctor-2026', role: 'doctor' },
  { email: 'dr.bernard@clinic.test', key: 'bernard', name: 'Dr. Paul Bernard', password: 'demo-doctor-2026', role: 'doctor' },
  { email: 'patient.durand@clinic.test', key: 'durand', name: 'Marie Durand', password: 'demo-patient-2026', role: 'patient' },
  { email: 'patient.petit@clinic.test', key: 'petit', name: 'Lucas Petit', password: 'demo-patient-2026', role: 'patient' },
]

export const demoLogins = (): DemoLogin[] =>
  DEMO_USERS.map(({ email, password, role }) => ({ email, password, role }))

const EXIF_PRESETS = {
  iphone: { make: 'Apple', model: 'iPhone 15 Pro' },
  samsung: { make: 'samsung', model: 'Galaxy S23' },
} satisfies Record<string, Omit<DemoExif, 'date'>>

type DemoImage = {
  acquisition: Acquisition
  bodySite: BodySite
  /** Camera EXIF (Make/Model/dates) to embed; none when absent. */
  camera?: keyof typeof EXIF_PRESETS
  dermoscopic?: boolean
  description: string
  laterality: Laterality
  /** What the patient agreed the photo may be used for; care only when absent. */
  consent?: ConsentScope[]
  /** The demo lesion (a DEMO_LESIONS key) this photo follows, and its role in that lesion's history. */
  lesion?: { key: string; role: ImageRole }
  variant: number
}

type DemoLesion = {
  bodySite: BodySite
  /** Who created it (and so may delete it): a DEMO_USERS key. */
  createdBy: string
  key: string
  label: string
  laterality: Laterality
  notes: string
  patient: string
  status: LesionStatus
}

/** Lesions followed across the demo consultations, so the lesion timeline has something to show. */
const DEMO_LESIONS: ReadonlyArray<DemoLesion> = [
  {
    bodySite: 'upper-back',
    createdBy: 'martin',
    key: 'back',
    label: 'Naevus upper back, left of the spine',
    laterality: 'left',
    notes: 'Grew over six months; atypical network on dermoscopy. Excised, histology: dysplastic naevus, margins clear.',
    patient: 'durand',
    status: 'excised',
  },
  {
    bodySite: 'face',
    createdBy: 'bernard',
    key: 'cheek',
    label: 'Pigmented patch, left cheek',
    laterality: 'left',
    notes: 'Stable; photoprotection, review every six months.',
    patient: 'durand',
    status: 'monitoring',
  },
  {
    bodySite: 'forearm',
    createdBy: 'martin',
    key: 'forearm',
    label: 'Naevus right forearm',
    laterality: 'right',
    notes: 'New; regular network, symmetric. Compare with the home photo at the next visit.',
    patient: 'petit',
    status: 'monitoring',
  },
]

type DemoConsultation = {
  daysFromNow: number
  doctor: string
  images: DemoImage[]
  notes: string
  patient: string
  reason: string
  status: ConsultationStatus
}

const DEMO_CONSULTATIONS: ReadonlyArray<DemoConsultation> = [
  {
    daysFromNow: -190,
    doctor: 'martin',
    images: [
      { acquisition: 'clinical-close-up', bodySite: 'upper-back', camera: 'iphone', description: 'Small brown macule left of the spine, first photo.', laterality: 'left', lesion: { key: 'back', role: 'baseline' }, variant: 8 },
    ],
    notes: 'Regular brown macule, 6 mm. Photographed for follow-up.',
    patient: 'durand',
    reason: 'Full-body skin check',
    status: 'completed',
  },
  {
    daysFromNow: -62,
    doctor: 'martin',
    images: [
      { acquisition: 'clinical-overview', bodySite: 'upper-back', description: 'Upper back, overview with the lesion left of the spine.', camera: 'iphone', laterality: 'left', lesion: { key: 'back', role: 'follow-up' }, variant: 0 },
      { acquisition: 'clinical-close-up', camera: 'iphone', bodySite: 'upper-back', consent: ['care', 'second-opinion'], description: 'Close-up: asymmetric brown macule, irregular border.', laterality: 'left', lesion: { key: 'back', role: 'follow-up' }, variant: 1 },
      { acquisition: 'dermoscopic', camera: 'iphone', bodySite: 'upper-back', consent: ['care', 'second-opinion', 'teaching'], dermoscopic: true, description: 'Dermoscopy: atypical network, off-centre dark blotch.', laterality: 'left', lesion: { key: 'back', role: 'pre-treatment' }, variant: 3 },
    ],
    notes: 'Lesion enlarged over 6 months per patient. ABCD: asymmetry, irregular border, two shades of brown, 9 mm. Excision biopsy planned.',
    patient: 'durand',
    reason: 'Changing pigmented lesion on the upper back',
    status: 'completed',
  },
  {
    daysFromNow: -21,
    doctor: 'bernard',
    images: [
      { acquisition: 'clinical-overview', bodySite: 'face', description: 'Left cheek, overview.', camera: 'samsung', laterality: 'left', lesion: { key: 'cheek', role: 'follow-up' }, variant: 4 },
      { acquisition: 'clinical-close-up', bodySite: 'face', camera: 'samsung', description: 'Left cheek, close-up of the scaly brown patch.', laterality: 'left', lesion: { key: 'cheek', role: 'follow-up' }, variant: 5 },
    ],
    notes: 'Stable since the previous visit. Continue photoprotection; review in 6 months.',
    patient: 'durand',
    reason: 'Follow-up of a pigmented patch on the cheek',
    status: 'completed',
  },
  {
    daysFromNow: -8,
    doctor: 'martin',
    images: [
      { acquisition: 'clinical-close-up', bodySite: 'upper-back', camera: 'iphone', description: 'Excision scar, healing well.', laterality: 'left', lesion: { key: 'back', role: 'post-treatment' }, variant: 9 },
    ],
    notes: 'Sutures removed. Histology: dysplastic naevus, margins clear.',
    patient: 'durand',
    reason: 'Wound check after excision on the upper back',
    status: 'completed',
  },
  {
    daysFromNow: -1,
    doctor: 'martin',
    images: [
      { acquisition: 'clinical-overview', camera: 'iphone', bodySite: 'forearm', description: 'Right forearm, dorsal side, overview.', laterality: 'right', lesion: { key: 'forearm', role: 'baseline' }, variant: 2 },
      { acquisition: 'dermoscopic', camera: 'iphone', bodySite: 'forearm', consent: ['care', 'teaching', 'research'], dermoscopic: true, description: 'Dermoscopy: regular network, symmetric.', laterality: 'right', lesion: { key: 'forearm', role: 'baseline' }, variant: 7 },
      { acquisition: 'other', bodySite: 'forearm', description: 'Photo brought by the patient (taken at home).', laterality: 'right', variant: 6 },
    ],
    notes: 'Benign-looking naevus on dermoscopy. Awaiting comparison with the home photo.',
    patient: 'petit',
    reason: 'New mole on the forearm',
    status: 'in-progress',
  },
  {
    daysFromNow: 14,
    doctor: 'bernard',
    images: [],
    notes: '',
    patient: 'petit',
    reason: 'Annual full-body skin check',
    status: 'scheduled',
  },
]


const logLoginTable = (payload: Payload, logins: DemoLogin[]): void => {
  const emailWidth = Math.max(...logins.map((login) => login.email.length))
  const lines = logins.map(
    (login) => `  ${login.role.padEnd(8)} ${login.email.padEnd(emailWidth)}  ${login.password}`,
  )
  payload.logger.info(
    `Demo logins (demo accounts only, never use these passwords elsewhere):\n  ${'role'.padEnd(8)} ${'email'.padEnd(emailWidth)}  password\n${lines.join('\n')}`,
  )
}

/**
 * Creates the demo users, consultations and images, unless `admin@clinic.test` already exists.
 * Returns the demo logins either way.
 */
export const seedDemo = async (payload: Payload): Promise<SeedResult> => {
  const logins = demoLogins()

  const existing = await payload.find({
    collection: 'users',
    depth: 0,
    limit: 1,
    // System seed, not a user's action: there is no user to check access for.
    overrideAccess: true,
    pagination: false,
    where: { email: { equals: ADMIN_EMAIL } },
  })
  if (existing.docs.length > 0) {
    payload.logger.info('Demo data already present (admin@clinic.test exists); nothing seeded.')
    logLoginTable(payload, logins)
    return { created: false, logins }
  }

  payload.logger.info('Seeding demo users, consultations and images…')
  const userIds = new Map<string, number | string>()
  const userDocs = new Map<string, object>()
  for (const user of DEMO_USERS) {
    const doc = await payload.create({
      collection: 'users',
      data: { email: user.email, name: user.name, password: user.password, role: user.role },
      // System seed, not a user's action: access control has no user to check here.
      overrideAccess: true,
    })
    userIds.set(user.key, doc.id)
    userDocs.set(user.key, doc)
  }

  const admin = await payload.findByID({
    collection: 'users',
    id: userIds.get('admin') as number,
    // System seed: the admin's own document, to create the lesions in its name (below).
    overrideAccess: true,
  })
  const lesionIds = new Map<string, number | string>()
  for (const lesion of DEMO_LESIONS) {
    const doc = await payload.create({
      collection: 'lesions',
      data: {
        bodySite: lesion.bodySite,
        createdBy: userIds.get(lesion.createdBy),
        label: lesion.label,
        laterality: lesion.laterality,
        notes: lesion.notes,
        patient: userIds.get(lesion.patient),
        status: lesion.status,
      } as never,
      // System seed: access has no user to check, but the admin is named so that `createdBy`
      // (which only an admin may set) records the doctor the lesion is for, who may then delete it.
      overrideAccess: true,
      user: { ...admin, collection: 'users' },
    })
    lesionIds.set(lesion.key, doc.id)
  }

  let imageCount = 0
  for (const consultation of DEMO_CONSULTATIONS) {
    const date = new Date(Date.now() + consultation.daysFromNow * 24 * 60 * 60 * 1000)
    date.setUTCHours(9 + (imageCount % 7), 30, 0, 0)
    const doc = await payload.create({
      collection: 'consultations',
      data: {
        date: date.toISOString(),
        doctor: userIds.get(consultation.doctor),
        notes: consultation.notes,
        patient: userIds.get(consultation.patient),
        reason: consultation.reason,
        status: consultation.status,
      } as never,
      // System seed, not a user's action: access control has no user to check here.
      overrideAccess: true,
    })

    for (const image of consultation.images) {
      const exif = image.camera ? { ...EXIF_PRESETS[image.camera], date } : null
      const data = await generateDemoImage(image.variant, { dermoscopic: image.dermoscopic ?? false, exif })
      await payload.create({
        collection: 'consultation-images',
        data: {
          acquisition: image.acquisition,
          bodySite: image.bodySite,
          consultation: doc.id,
          description: image.description,
          laterality: image.laterality,
          ...(image.consent ? { consentScopes: image.consent } : {}),
          ...(image.lesion ? { lesion: lesionIds.get(image.lesion.key), role: image.lesion.role } : {}),
        } as never,
        file: { data, mimetype: 'image/jpeg', name: 'lesion.jpg', size: data.length },
        // System seed, not a user's action: access control has no user to check here. The
        // consultation's doctor is named so the consent record says who recorded it.
        overrideAccess: true,
        user: { ...userDocs.get(consultation.doctor), collection: 'users' },
      })
      imageCount++
    }
  }

  payload.logger.info(
    `Seeded ${DEMO_USERS.length} users, ${DEMO_CONSULTATIONS.length} consultations, ${imageCount} images and ${DEMO_LESIONS.length} lesions.`,
  )
  logLoginTable(payload, logins)
  return { created: true, logins }
}
