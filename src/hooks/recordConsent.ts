import type { CollectionAfterChangeHook, CollectionBeforeChangeHook, PayloadRequest } from 'payload'

import type { ConsultationImageDoc, SanitizedDermaImagesPluginConfig } from '../types.js'

import { getUserOf, toID } from '../access/roles.js'
import { consentScopes } from '../vocabulary/consent.js'

const asSet = (scopes: unknown): Set<string> => new Set(Array.isArray(scopes) ? scopes.map(String) : [])

const sameScopes = (a: unknown, b: unknown): boolean => {
  const left = asSet(a)
  const right = asSet(b)
  return left.size === right.size && [...left].every((scope) => right.has(scope))
}

/**
 * Consent is a record: who set an image's consent scopes and when. Both are written here, by the
 * server, whenever the scopes are set (on create) or change (on update), and a client's own values
 * for them are ignored; an update that leaves the scopes alone keeps the stored record. Runs after
 * protectServerFields.
 */
export const getRecordConsentHook =
  ({ slugs }: SanitizedDermaImagesPluginConfig): CollectionBeforeChangeHook<ConsultationImageDoc> =>
  ({ data, operation, originalDoc, req }) => {
  const stored = originalDoc as Record<string, unknown> | undefined
  const changed =
    operation === 'create' || (data.consentScopes !== undefined && !sameScopes(data.consentScopes, stored?.consentScopes))
  if (!changed) {
    return { ...data, consentRecordedAt: stored?.consentRecordedAt ?? null, consentRecordedBy: toID(stored?.consentRecordedBy) ?? null }
  }
  return {
    ...data,
    consentRecordedAt: new Date().toISOString(),
    consentRecordedBy: toID(getUserOf(req, slugs.users)) ?? null,
  }
}

/**
 * The audit variant of a consent record: `consent:` and the scopes in the vocabulary's order,
 * joined by `+` (`consent:care+teaching`; `consent:` alone for none). Codes only, never a name.
 */
export const consentVariant = (scopes: unknown): string => {
  const given = asSet(scopes)
  return `consent:${consentScopes.map(({ value }) => value).filter((value) => given.has(value)).join('+')}`
}

// Keyed by the request object, like the audit trail's own state: the variants of the consent
// records this request's writes made, by image ID.
const recorded = new WeakMap<object, Map<string, string>>()

/**
 * The consent variant of the write the request just made to image `id`, when that write recorded
 * consent (a create, or a change of scopes); the audit trail puts it on the write's event, so the
 * consent history is the image's `create` and `update` events whose variant starts with `consent:`.
 */
export const consentVariantOf = (req: PayloadRequest, id: unknown): string | undefined => {
  const key = toID(id)
  return key === undefined ? undefined : recorded.get(req)?.get(String(key))
}

/** Notes, after the change, each write that recorded consent (its `consentRecordedAt` moved). */
export const noteConsentRecordHook: CollectionAfterChangeHook<ConsultationImageDoc> = ({ doc, operation, previousDoc, req }) => {
  const isRecorded = operation === 'create' || doc.consentRecordedAt !== (previousDoc as ConsultationImageDoc | undefined)?.consentRecordedAt
  if (isRecorded) {
    const byImage = recorded.get(req) ?? new Map<string, string>()
    byImage.set(String(doc.id), consentVariant(doc.consentScopes))
    recorded.set(req, byImage)
  }
  return doc
}
