import type { PayloadRequest } from 'payload'

import { createHash } from 'node:crypto'
import { ValidationError } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import { RefusedRequest } from '../utilities/refusedRequest.js'

/** What an upload with an `Idempotency-Key` stores with its row: digests only, no patient data. */
export type Idempotency = {
  /** SHA-256 of the request (consultation, metadata, file name, type and bytes). */
  fingerprint: string
  /** SHA-256 of the user and the client's key: unique, so one key makes at most one image. */
  key: string
}

export const idempotencyHeader = 'Idempotency-Key'

/** The draft's key is a Structured Field string; clients send UUIDs. Printable ASCII, 1–255 chars. */
const keyPattern = /^[\x20-\x7e]{1,255}$/

const sha256 = (parts: (Buffer | string)[]): string => {
  const hash = createHash('sha256')
  for (const part of parts) {
    // Length-prefixed, so that no two different part lists hash alike.
    hash.update(`${String(Buffer.byteLength(part))}:`).update(part)
  }
  return hash.digest('hex')
}

const canonical = (value: Record<string, unknown>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))))

/**
 * The upload's idempotency digests, or `undefined` without the header. A quoted key (`"abc"`, the
 * draft's sf-string form) is the same key as the bare one.
 */
export const readIdempotency = (
  req: PayloadRequest,
  request: { consultation: number; file: { data: Buffer; mimetype: string; name: string }; metadata: Record<string, unknown> },
): Idempotency | undefined => {
  const header = req.headers.get(idempotencyHeader)
  if (header === null) {
    return undefined
  }
  const key = header.trim().replace(/^"(.*)"$/, '$1')
  if (!keyPattern.test(key)) {
    throw new RefusedRequest(`${idempotencyHeader} must be 1 to 255 printable ASCII characters (a UUID is best).`, 400)
  }
  const { consultation, file, metadata } = request
  return {
    fingerprint: sha256([String(consultation), canonical(metadata), file.name, file.mimetype, file.data]),
    key: sha256([String(req.user?.collection), String(req.user?.id), key]),
  }
}

/**
 * The image an earlier request with the same key stored, as this user may read it, or `undefined`.
 * The same key with another request answers 422, as the IETF idempotency-key draft says.
 */
export const findIdempotentImage = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  idempotency: Idempotency,
): Promise<Record<string, unknown> | undefined> => {
  const { docs } = await req.payload.find({
    collection: config.slugs.consultationImages,
    depth: 0,
    limit: 1,
    // A system lookup by a digest that includes the user's own ID: only their own uploads match.
    overrideAccess: true,
    pagination: false,
    select: { idempotencyFingerprint: true },
    showHiddenFields: true,
    where: { idempotencyKey: { equals: idempotency.key } },
  })
  const stored = docs[0] as { id: number | string; idempotencyFingerprint?: null | string } | undefined
  if (!stored) {
    return undefined
  }
  if (stored.idempotencyFingerprint !== idempotency.fingerprint) {
    throw new RefusedRequest(`This ${idempotencyHeader} was already used for a different upload; use a new key for a new photo.`, 422)
  }
  return (await req.payload.findByID({
    collection: config.slugs.consultationImages,
    depth: 0,
    id: stored.id,
    overrideAccess: false,
    req,
  })) as unknown as Record<string, unknown>
}

/** A concurrent duplicate lost the race: the unique key column refused its row. */
export const isIdempotencyConflict = (error: unknown): boolean =>
  error instanceof ValidationError &&
  (error.data.errors as { path?: string }[]).some((item) => item.path === 'idempotencyKey')
