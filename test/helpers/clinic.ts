import type { Payload } from 'payload'

import { jwtSign } from 'payload'

import { asUploadFile, makeJpeg } from './images.js'

export type Actor = { email: string; id: number; role: string; token: string; user: Record<string, unknown> }

export type Clinic = {
  admin: Actor
  consultations: { other: number; own: number }
  doctor: Actor
  images: { other: { filename: string; id: number; thumbnail: string }; own: { filename: string; id: number; thumbnail: string } }
  otherDoctor: Actor
  otherPatient: Actor
  patient: Actor
}

const password = 'correct-horse-battery-staple'

const createActor = async (payload: Payload, role: string, email: string): Promise<Actor> => {
  // Test fixture set-up, not a user's action.
  const created = await payload.create({
    collection: 'users',
    data: { email, name: `${role} ${email}`, password, role } as never,
    overrideAccess: true,
  })
  const { token, user } = await payload.login({ collection: 'users', data: { email, password } })
  return { email, id: created.id, role, token: token ?? '', user: { ...user, collection: 'users' } }
}

export const uploadAs = async (
  payload: Payload,
  actor: Actor,
  consultation: number,
  extra: Record<string, unknown> = {},
  seed = 0,
) =>
  payload.create({
    collection: 'consultation-images',
    data: { consultation, ...extra } as never,
    file: asUploadFile(await makeJpeg({ seed })),
    overrideAccess: false,
    user: actor.user,
  })

/**
 * Two doctors, two patients and an admin; one consultation (with one image) for each
 * doctor–patient pair: "own" belongs to `doctor` and `patient`, "other" to the other pair.
 */
export const createClinic = async (payload: Payload): Promise<Clinic> => {
  const admin = await createActor(payload, 'admin', 'admin@test.clinic')
  const doctor = await createActor(payload, 'doctor', 'doctor@test.clinic')
  const otherDoctor = await createActor(payload, 'doctor', 'other.doctor@test.clinic')
  const patient = await createActor(payload, 'patient', 'patient@test.clinic')
  const otherPatient = await createActor(payload, 'patient', 'other.patient@test.clinic')
  const consult = (d: Actor, p: Actor) =>
    payload.create({
      collection: 'consultations',
      data: { doctor: d.id, patient: p.id, reason: 'Pigmented lesion follow-up' } as never,
      overrideAccess: false,
      user: d.user,
    })
  const own = await consult(doctor, patient)
  const other = await consult(otherDoctor, otherPatient)
  const toImage = (doc: Record<string, unknown>) => ({
    filename: doc.filename as string,
    id: doc.id as number,
    thumbnail: (doc.sizes as { thumbnail: { filename: string } }).thumbnail.filename,
  })
  const ownImage = await uploadAs(payload, doctor, own.id)
  const otherImage = await uploadAs(payload, otherDoctor, other.id, {}, 7)
  return {
    admin,
    consultations: { other: other.id, own: own.id },
    doctor,
    images: { other: toImage(otherImage as never), own: toImage(ownImage as never) },
    otherDoctor,
    otherPatient,
    patient,
  }
}

/**
 * The actor's real token (same claims, session included) re-signed to expire `expiresIn` seconds
 * from now: negative for the stale token a client may still hold.
 */
export const resignedToken = async (payload: Payload, actor: Actor, expiresIn: number): Promise<string> => {
  const [, body = ''] = actor.token.split('.')
  const { exp: _exp, iat: _iat, ...claims } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>
  const { token } = await jwtSign({ fieldsToSign: claims, secret: payload.secret, tokenExpiration: expiresIn })
  return token
}
