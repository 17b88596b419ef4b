import type { CollectionAfterChangeHook, CollectionBeforeChangeHook, PayloadRequest } from 'payload'

import { ValidationError } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { toID } from '../../access/roles.js'
import { channelOf } from '../../audit/requestState.js'
import { auditSystemContext, idOf, writeAuditEvents } from '../../audit/writeEvents.js'
import { createShareToken, hashShareToken, sharePagePath } from '../../operations/shareToken.js'

type LinkData = {
  consultation?: unknown
  createdBy?: unknown
  expiresAt?: unknown
  hideIdentity?: unknown
  lesion?: unknown
  note?: unknown
  revokedAt?: unknown
  revokedBy?: unknown
  tokenHash?: unknown
}

const dayMs = 24 * 60 * 60 * 1000
/** Clock skew allowed between the client that computed "now + maxDays" and the server. */
const skewMs = 5 * 60 * 1000

/** The fields a link's creator chooses; after creation none of them changes. */
const creatorFields = ['consultation', 'lesion', 'expiresAt', 'hideIdentity', 'note'] as const

export const shareTargetMessage = 'A share link is for exactly one consultation or one lesion.'
export const shareFrozenMessage = 'A share link cannot be changed after it is created, only revoked; create a new link instead.'

/** The raw token of a link being created, between the hook that makes it and the one that returns it. Never stored. */
const pendingTokens = new WeakMap<PayloadRequest, string>()

const invalid = (config: SanitizedDermaImagesPluginConfig, req: PayloadRequest, message: string, path: string): ValidationError =>
  new ValidationError({ collection: config.slugs.shareLinks, errors: [{ message, path }], req })

const sameValue = (field: (typeof creatorFields)[number], next: unknown, previous: unknown): boolean => {
  if (field === 'consultation' || field === 'lesion') {
    return String(toID(next) ?? '') === String(toID(previous) ?? '')
  }
  if (field === 'expiresAt') {
    return Date.parse(String(next)) === Date.parse(String(previous))
  }
  if (field === 'hideIdentity') {
    return Boolean(next) === Boolean(previous)
  }
  return (next ?? '') === (previous ?? '')
}

/** A new link: one target, an expiry within `shareLinks.maxDays` (default `defaultDays`), a fresh token, the creator. */
const prepareCreate = (config: SanitizedDermaImagesPluginConfig, req: PayloadRequest, data: LinkData): LinkData => {
  if ((toID(data.consultation) === undefined) === (toID(data.lesion) === undefined)) {
    throw invalid(config, req, shareTargetMessage, 'consultation')
  }
  const now = Date.now()
  const { defaultDays, maxDays } = config.shareLinks
  const requested = data.expiresAt
  const expiresAt =
    requested === undefined || requested === null
      ? now + defaultDays * dayMs
      : typeof requested === 'string' || requested instanceof Date
        ? new Date(requested).getTime()
        : Number.NaN
  if (Number.isNaN(expiresAt) || expiresAt <= now) {
    throw invalid(config, req, 'The expiry must be a date in the future.', 'expiresAt')
  }
  if (expiresAt > now + maxDays * dayMs + skewMs) {
    throw invalid(config, req, `A share link may be valid for ${maxDays} days at most.`, 'expiresAt')
  }
  const token = createShareToken()
  pendingTokens.set(req, token)
  return {
    ...data,
    createdBy: req.user?.id ?? null,
    expiresAt: new Date(expiresAt).toISOString(),
    revokedAt: null,
    revokedBy: null,
    tokenHash: hashShareToken(token),
  }
}

/** An update may only revoke: any `revokedAt` sent means "now", by the server's clock; a revoked link stays revoked. */
const prepareUpdate = (config: SanitizedDermaImagesPluginConfig, req: PayloadRequest, data: LinkData, original: LinkData): LinkData => {
  const changed = creatorFields.find((field) => field in data && !sameValue(field, data[field], original[field]))
  if (changed) {
    throw invalid(config, req, shareFrozenMessage, changed)
  }
  const alreadyRevoked = Boolean(original.revokedAt)
  const revoking = !alreadyRevoked && data.revokedAt !== undefined && data.revokedAt !== null && data.revokedAt !== false
  return {
    ...Object.fromEntries(
      creatorFields.map((field) => [field, field === 'consultation' || field === 'lesion' ? (toID(original[field]) ?? null) : original[field]]),
    ),
    createdBy: toID(original.createdBy) ?? null,
    revokedAt: revoking ? new Date().toISOString() : (original.revokedAt ?? null),
    revokedBy: revoking ? (req.user?.id ?? null) : (toID(original.revokedBy) ?? null),
    tokenHash: original.tokenHash,
  }
}

/** Server-set fields and the one change allowed after creation (see the collection). */
export const getPrepareShareLinkHook =
  (config: SanitizedDermaImagesPluginConfig): CollectionBeforeChangeHook =>
  ({ data, operation, originalDoc, req }) =>
    operation === 'create'
      ? prepareCreate(config, req, data as LinkData)
      : prepareUpdate(config, req, data as LinkData, (originalDoc ?? {}) as LinkData)

/** The patient a link is about: the lesion's (a system lookup inside the write's transaction); a consultation's is joined by the audit writer. */
const lesionPatient = async (config: SanitizedDermaImagesPluginConfig, req: PayloadRequest, lesion: unknown): Promise<string | undefined> => {
  const id = toID(lesion)
  if (id === undefined) {
    return undefined
  }
  const doc = await req.payload.findByID({
    collection: config.slugs.lesions,
    context: auditSystemContext,
    depth: 0,
    id,
    overrideAccess: true,
    req,
    select: { patient: true } as never,
  })
  return idOf((doc as { patient?: unknown }).patient)
}

/**
 * Records the creation or revocation (`share`, variant `create` / `revoke`) in the write's own
 * transaction, and hands the new link's token and URL to the create's caller: the only time they
 * exist outside the recipient's hands. They are added to the returned document, not stored.
 */
export const getShareLinkAfterChangeHook =
  (config: SanitizedDermaImagesPluginConfig): CollectionAfterChangeHook =>
  async ({ doc, operation, previousDoc, req }): Promise<Record<string, unknown>> => {
    const link = doc as LinkData & { id: number | string }
    const revoked = operation === 'update' && Boolean(link.revokedAt) && !(previousDoc as LinkData | undefined)?.revokedAt
    if (operation === 'create' || revoked) {
      await writeAuditEvents(
        req,
        config,
        [
          {
            action: 'share',
            channel: channelOf(req),
            consultation: idOf(link.consultation),
            documentCollection: config.slugs.shareLinks,
            documentId: idOf(link.id),
            patient: await lesionPatient(config, req, link.lesion),
            variant: operation === 'create' ? 'create' : 'revoke',
          },
        ],
        { mode: 'with-change' },
      )
    }
    const token = operation === 'create' ? pendingTokens.get(req) : undefined
    if (token === undefined) {
      return link
    }
    pendingTokens.delete(req)
    return { ...link, token, url: `${req.payload.config.serverURL}${sharePagePath}/${token}` }
  }
