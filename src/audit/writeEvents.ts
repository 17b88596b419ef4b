import type { PayloadRequest } from 'payload'

import type { AuditAction, AuditChannel } from '../collections/AuditEvents/fields.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { getRole, getUserOf, toID } from '../access/roles.js'
import { isPostgresAdapter, toTableName } from '../db/postgres.js'
import { clientAddressOf } from './clientAddress.js'

/** What happened, to what; who, from where and when are taken from the request. */
export type AuditEvent = {
  action: AuditAction
  channel: AuditChannel
  consultation?: string
  documentCollection: string
  documentId?: string
  patient?: string
  status?: number
  variant?: string
}

type Row = AuditEvent & { createdAt: string; ip?: string; role?: string; updatedAt: string; user?: string }

type DrizzleLike = { insert: (table: unknown) => { values: (rows: Row[]) => Promise<unknown> } }
type DrizzleAdapterLike = { drizzle: DrizzleLike; sessions?: Record<number | string, { db: DrizzleLike } | undefined>; tables: Record<string, unknown> }

/** Context key marking the plugin's own Local API calls, which are never audited. */
export const auditSystemContext = { dermaImagesAuditSystem: true } as const

export const idOf = (value: unknown): string | undefined => {
  const id = toID(value)
  return id === undefined ? undefined : String(id)
}

/** Image events that do not name their consultation (the FHIR export's) get it from one query. */
const fillConsultations = async (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig, rows: Row[], inTransaction: boolean) => {
  const missing = [
    ...new Set(rows.filter((row) => row.documentCollection === config.slugs.consultationImages && row.documentId && !row.consultation).map((row) => row.documentId)),
  ]
  if (missing.length === 0) {
    return
  }
  // A system lookup: the event is attributed to its consultation whatever the actor may read.
  const { docs } = await req.payload.find({
    collection: config.slugs.consultationImages,
    context: auditSystemContext,
    depth: 0,
    limit: missing.length,
    overrideAccess: true,
    pagination: false,
    ...(inTransaction ? { req } : {}),
    select: { consultation: true } as never,
    where: { id: { in: missing } },
  })
  const consultations = new Map((docs as { consultation?: unknown; id: unknown }[]).map((doc) => [String(doc.id), idOf(doc.consultation)]))
  for (const row of rows) {
    row.consultation ??= row.documentCollection === config.slugs.consultationImages && row.documentId ? consultations.get(row.documentId) : undefined
  }
}

/** Events that name a consultation but not its patient get it from one query for all of them. */
const fillPatients = async (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig, rows: Row[], inTransaction: boolean) => {
  await fillConsultations(req, config, rows, inTransaction)
  const missing = [...new Set(rows.filter((row) => row.consultation && !row.patient).map((row) => row.consultation))]
  if (missing.length === 0) {
    return
  }
  // A system lookup: the event is attributed to its patient whatever the actor may read.
  const { docs } = await req.payload.find({
    collection: config.slugs.consultations,
    context: auditSystemContext,
    depth: 0,
    limit: missing.length,
    overrideAccess: true,
    pagination: false,
    ...(inTransaction ? { req } : {}),
    select: { patient: true } as never,
    where: { id: { in: missing } },
  })
  const patients = new Map((docs as { id: unknown; patient?: unknown }[]).map((doc) => [String(doc.id), idOf(doc.patient)]))
  for (const row of rows) {
    row.patient ??= row.consultation ? patients.get(row.consultation) : undefined
  }
}

/**
 * Appends `events` with the request's user, role and (trusted) address, as one multi-row INSERT
 * on PostgreSQL. `inTransaction`: inside the request's transaction (writes: the event commits or
 * rolls back with the change); otherwise on a connection of its own, so a failed insert never
 * aborts the request's transaction. Throws on failure: the caller decides what that means.
 */
export const writeAuditEvents = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  events: AuditEvent[],
  { inTransaction }: { inTransaction: boolean },
): Promise<void> => {
  if (events.length === 0) {
    return
  }
  const user = getUserOf(req, config.slugs.users)
  const now = new Date().toISOString()
  const actor = { ip: clientAddressOf(req.headers, config.audit.trustedProxyHops), role: getRole(user), user: idOf(user?.id) }
  const rows: Row[] = events.map((event) => ({ ...actor, ...event, createdAt: now, updatedAt: now }))
  await fillPatients(req, config, rows, inTransaction)
  const adapter = req.payload.db
  if (isPostgresAdapter(adapter)) {
    const { drizzle, sessions, tables } = adapter as unknown as DrizzleAdapterLike
    const session = inTransaction && req.transactionID ? sessions?.[await req.transactionID]?.db : undefined
    await (session ?? drizzle).insert(tables[toTableName(config.slugs.auditEvents)]).values(rows)
    return
  }
  for (const { createdAt: _createdAt, updatedAt: _updatedAt, ...data } of rows) {
    // The plugin's own append: nobody may create events through the API, the plugin must.
    await req.payload.create({
      collection: config.slugs.auditEvents,
      context: auditSystemContext,
      data: data as never,
      overrideAccess: true,
      ...(inTransaction ? { req } : {}),
    })
  }
}
