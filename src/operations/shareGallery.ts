import type { CollectionSlug, PayloadRequest, Where } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { getRole, sameID, toID } from '../access/roles.js'
import { auditSystemContext, idOf } from '../audit/writeEvents.js'
import { hashShareToken, isWellFormedShareToken } from './shareToken.js'

export type ShareLinkDoc = {
  consultation?: unknown
  createdAt?: string
  createdBy?: unknown
  expiresAt: string
  hideIdentity?: boolean | null
  id: number | string
  lesion?: unknown
  note?: null | string
  revokedAt?: null | string
  tokenHash: string
}

export type SharedImageDoc = {
  acquisition?: null | string
  bodySite?: null | string
  capturedAt?: null | string
  consultation?: unknown
  createdAt: string
  description?: null | string
  filename?: null | string
  height?: null | number
  id: number | string
  laterality?: null | string
  mimeType?: null | string
  role?: null | string
  sizes?: null | Record<string, { filename?: null | string; height?: null | number; mimeType?: null | string; width?: null | number } | undefined>
  width?: null | number
}

type Doc = Record<string, unknown>

/** Why a link answers 404. `withdrawn`: its target is gone, or its creator may no longer see it. */
export type ShareRefusal = 'expired' | 'revoked' | 'unknown' | 'withdrawn'

/** What a valid link shows, read afresh on every request. */
export type ResolvedShare = {
  consultation?: { date?: null | string; id: string; reason?: null | string }
  creatorName?: string
  images: SharedImageDoc[]
  lesion?: { bodySite?: null | string; id: string; label?: null | string; laterality?: null | string }
  link: ShareLinkDoc
  patient: { id?: string; name?: string }
}

export type ShareResolution = { link?: ShareLinkDoc; ok: false; reason: ShareRefusal } | ({ ok: true } & ResolvedShare)

/** The consent scope a share link requires of every image it shows. */
export const secondOpinionScope = 'second-opinion'

/** The largest number of images one link shows. */
const imageLimit = 500

/**
 * Every read below is a system lookup (`overrideAccess: true`): the recipient has no account, and
 * what authorises the read is the token, checked here against its hash, expiry and revocation,
 * and the link's creator's own right to the target, on every request. `auditSystemContext` keeps
 * these reads out of the user-read audit; the callers write the link's own events.
 */
const system = { context: auditSystemContext, depth: 0, overrideAccess: true } as const

const findOne = async (req: PayloadRequest, collection: CollectionSlug, id: unknown, select: Record<string, true>): Promise<Doc | undefined> => {
  const key = toID(id)
  if (key === undefined) {
    return undefined
  }
  const { docs } = await req.payload.find({ ...system, collection, limit: 1, pagination: false, req, select: select as never, where: { id: { equals: key } } })
  return docs[0]
}

const findLink = async (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig, token: string): Promise<ShareLinkDoc | undefined> => {
  const { docs } = await req.payload.find({
    ...system,
    collection: config.slugs.shareLinks,
    limit: 1,
    pagination: false,
    req,
    showHiddenFields: true,
    where: { tokenHash: { equals: hashShareToken(token) } },
  })
  return docs[0] as ShareLinkDoc | undefined
}

const nameOf = (user: Doc | undefined): string | undefined => (typeof user?.name === 'string' && user.name.trim() !== '' ? user.name : undefined)

/** Which images of the target the link may show, before consent: what its creator may see of it now. */
const targetScope = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  link: ShareLinkDoc,
  creator: Doc,
): Promise<undefined | { consultation?: Doc; lesion?: Doc; patient?: string; where: Where }> => {
  const { slugs } = config
  const role = getRole(creator as never)
  if (role !== 'admin' && role !== 'doctor') {
    return undefined
  }
  if (toID(link.consultation) !== undefined) {
    const consultation = await findOne(req, slugs.consultations, link.consultation, { date: true, doctor: true, patient: true, reason: true })
    if (!consultation || (role === 'doctor' && !sameID(consultation.doctor, creator.id))) {
      return undefined
    }
    return { consultation, patient: idOf(consultation.patient), where: { consultation: { equals: consultation.id } } }
  }
  const lesion = await findOne(req, slugs.lesions, link.lesion, { bodySite: true, label: true, laterality: true, patient: true })
  if (!lesion) {
    return undefined
  }
  if (role === 'admin') {
    return { lesion, patient: idOf(lesion.patient), where: { lesion: { equals: lesion.id } } }
  }
  // The same rule as the lesion timeline read with the creator's access: the lesion's images in
  // the creator's own consultations with its patient.
  const { docs } = await req.payload.find({
    ...system,
    collection: slugs.consultations,
    pagination: false,
    req,
    select: { id: true } as never,
    where: { and: [{ doctor: { equals: creator.id } }, { patient: { equals: toID(lesion.patient) } }] },
  })
  if (docs.length === 0) {
    return undefined
  }
  return {
    lesion,
    patient: idOf(lesion.patient),
    where: { and: [{ lesion: { equals: lesion.id } }, { consultation: { in: (docs as Doc[]).map((doc) => doc.id) } }] },
  }
}

/** Capture order: the camera's date (EXIF), else the upload date. */
export const captureTimeOf = (image: Pick<SharedImageDoc, 'capturedAt' | 'createdAt'>): number => Date.parse(image.capturedAt ?? image.createdAt)

/**
 * Resolves a token into what its link shows, checking on every call that the link exists, is
 * neither revoked nor expired, that its creator may still see the target, and which of the
 * target's images are consented for second opinion now.
 */
export const resolveShare = async (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig, token: string): Promise<ShareResolution> => {
  const link = isWellFormedShareToken(token) ? await findLink(req, config, token) : undefined
  if (!link) {
    return { ok: false, reason: 'unknown' }
  }
  if (link.revokedAt) {
    return { link, ok: false, reason: 'revoked' }
  }
  if (Date.parse(link.expiresAt) <= Date.now()) {
    return { link, ok: false, reason: 'expired' }
  }
  const creator = await findOne(req, config.slugs.users, link.createdBy, { name: true, role: true })
  const scope = creator ? await targetScope(req, config, link, creator) : undefined
  if (!creator || !scope) {
    return { link, ok: false, reason: 'withdrawn' }
  }
  const { docs } = await req.payload.find({
    ...system,
    collection: config.slugs.consultationImages,
    limit: imageLimit,
    pagination: false,
    req,
    where: { and: [scope.where, { consentScopes: { in: [secondOpinionScope] } }] },
  })
  const images = (docs as unknown as SharedImageDoc[]).sort((a, b) => captureTimeOf(a) - captureTimeOf(b))
  const patient = link.hideIdentity ? undefined : await findOne(req, config.slugs.users, scope.patient, { name: true })
  const { consultation, lesion } = scope
  return {
    consultation: consultation && {
      date: consultation.date as null | string | undefined,
      id: String(consultation.id),
      reason: consultation.reason as null | string | undefined,
    },
    creatorName: nameOf(creator),
    images,
    lesion: lesion && {
      bodySite: lesion.bodySite as null | string | undefined,
      id: String(lesion.id),
      label: lesion.label as null | string | undefined,
      laterality: lesion.laterality as null | string | undefined,
    },
    link,
    ok: true,
    patient: { id: scope.patient, name: nameOf(patient) },
  }
}

/** The consultation and patient a link is about, for the audit of a refused opening (a system lookup). */
export const ownersOfLink = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  link: ShareLinkDoc,
): Promise<{ consultation?: string; patient?: string }> => {
  if (toID(link.consultation) !== undefined) {
    // The audit writer joins the consultation's patient itself.
    return { consultation: idOf(link.consultation) }
  }
  const lesion = await findOne(req, config.slugs.lesions, link.lesion, { patient: true })
  return { patient: idOf(lesion?.patient) }
}
