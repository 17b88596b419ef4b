import type { Payload } from 'payload'

import sharp from 'sharp'

import type { Actor } from './clinic.js'

import { asUploadFile, makeJpeg } from './images.js'

export type StoredImage = {
  consultation: number | { id: number }
  filename: string
  id: number
  isPrimary: boolean | null
  sizes: Record<string, { filename: null | string }>
}

/** A new consultation of `doctor` with `patient`, created by the doctor. */
export const createConsultationAs = async (payload: Payload, doctor: Actor, patient: Actor): Promise<number> => {
  const consultation = await payload.create({
    collection: 'consultations',
    data: {
      doctor: doctor.id,
      patient: patient.id,
      reason: 'Hook behaviour',
    } as never,
    overrideAccess: false,
    user: doctor.user,
  })
  return consultation.id
}

/** Uploads `bytes` (one JPEG buffer may be reused for many images) to a consultation as `actor`. */
export const uploadBytesAs = async (
  payload: Payload,
  actor: Actor,
  consultation: number,
  bytes: Buffer,
  extra: Record<string, unknown> = {},
): Promise<StoredImage> =>
  (await payload.create({
    collection: 'consultation-images',
    data: { consultation, ...extra } as never,
    depth: 0,
    file: asUploadFile(bytes),
    overrideAccess: false,
    user: actor.user,
  })) as unknown as StoredImage

/** Every stored file of an image: its original and each derivative. */
export const filesOf = (image: StoredImage): string[] => [
  image.filename,
  ...Object.values(image.sizes).flatMap((size) => (size.filename ? [size.filename] : [])),
]

/** A real JPEG whose EXIF names a camera (Make "Canon", Model "EOS R6") and a capture date. */
export const makeJpegWithExif = async (): Promise<Buffer> =>
  sharp(await makeJpeg({ height: 480, seed: 11, width: 640 }))
    .withExif({
      IFD0: { Make: 'Canon', Model: 'EOS R6' },
      IFD2: { DateTimeOriginal: '2025:03:14 09:26:53' },
    })
    .jpeg({ quality: 85 })
    .toBuffer()
