import type { CollectionBeforeChangeHook } from 'payload'

import type { ConsultationImageDoc, SanitizedDermaImagesPluginConfig } from '../types.js'

import { getUserOf, toID } from '../access/roles.js'

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
