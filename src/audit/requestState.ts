import type { PayloadRequest } from 'payload'

import type { AuditChannel } from '../collections/AuditEvents/fields.js'
import type { AuditEvent } from './writeEvents.js'

/**
 * What the audit trail knows about one request: the reads its hooks saw but have not written yet
 * (written once, after the operation), and what an endpoint said about it (its channel, or that
 * it writes an event of its own, so the reads behind it are not written again one by one).
 */
type AuditState = {
  channel?: AuditChannel
  pending: AuditEvent[]
  suppressReads: boolean
  /** Collections a user's write is under way in: the documents it reads and returns are the write's. */
  writing: Map<string, number>
}

// Keyed by the request object: the Local API calls an endpoint makes with `req` share it.
const states = new WeakMap<object, AuditState>()

export const auditStateOf = (req: PayloadRequest): AuditState => {
  const existing = states.get(req)
  if (existing) {
    return existing
  }
  const created: AuditState = { pending: [], suppressReads: false, writing: new Map() }
  states.set(req, created)
  return created
}

/** The channel the request came through: what an endpoint set, else Payload's own API. */
export const channelOf = (req: PayloadRequest): AuditChannel =>
  auditStateOf(req).channel ??
  (req.payloadAPI === 'GraphQL' ? 'graphql' : req.payloadAPI === 'REST' ? 'rest' : 'local')

/** Marks the request as one that writes its own event (file route, ZIP, FHIR) through `channel`. */
export const auditAs = (req: PayloadRequest, channel: AuditChannel): void => {
  const state = auditStateOf(req)
  state.channel = channel
  state.suppressReads = true
}
