import type { CollectionSlug, PayloadRequest } from 'payload'

import { isolateObjectProperty } from 'payload'

import type { AuditAction, AuditChannel } from '../collections/AuditEvents/fields.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { getRole, getUserOf, toID } from '../access/roles.js'
import { isPostgresAdapter, toTableName } from '../db/postgres.js'
import { clientAddressOf } from './clientAddress.js'
import { insertRows, type Queryable, selectColumn } from './postgresRows.js'

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

type DrizzleLike = {
  insert: (table: unknown) => { values: (rows: Row[]) => Promise<unknown> }
  transaction: (run: (savepoint: DrizzleLike) => Promise<unknown>) => Promise<unknown>
}
type DrizzleAdapterLike = { drizzle: DrizzleLike; sessions?: Record<number | string, { db: DrizzleLike } | undefined>; tables: Record<string, unknown> }

/** Context key marking the plugin's own Local API calls, which are never audited. */
export const auditSystemContext = { dermaImagesAuditSystem: true } as const

/**
 * The `req` and `context` of a Local API call the plugin makes for itself inside a user's
 * request (an access check's look-up, the audit trail's own): same user and transaction, but
 * marked as the system's so that it is not audited. Payload merges a call's `context` into the
 * `req` it is given, so `req.context` is isolated: the mark never leaks into the rest of the
 * request, whose reads are still the user's.
 */
export const asAuditSystem = (req: PayloadRequest): { context: typeof auditSystemContext; req: PayloadRequest } => ({
  context: auditSystemContext,
  req: isolateObjectProperty(req, 'context'),
})

export const idOf = (value: unknown): string | undefined => {
  const id = toID(value)
  return id === undefined ? undefined : String(id)
}

/** The pool of PostgreSQL's adapter, for writes and look-ups outside the request's transaction. */
const poolOf = (req: PayloadRequest, inTransaction: boolean): undefined | { idType: 'integer' | 'uuid'; pool: Queryable } => {
  const adapter = req.payload.db as unknown as { idType?: string; pool?: Queryable }
  return !inTransaction && isPostgresAdapter(req.payload.db) && adapter.pool
    ? { idType: adapter.idType === 'uuid' ? 'uuid' : 'integer', pool: adapter.pool }
    : undefined
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Whether `id` can be an ID of the database's type: a refusal names whatever the client sent
 * (`abc`, `99999999999`), which would make the look-up's cast fail; such an ID names no document.
 */
const isPossibleID = (req: PayloadRequest, id: string): boolean => {
  if ((req.payload.db as { idType?: string }).idType === 'uuid') {
    return uuidPattern.test(id)
  }
  // PostgreSQL's `serial` is a 4-byte integer.
  return req.payload.db.defaultIDType === 'text' || (/^\d{1,10}$/.test(id) && Number(id) <= 2_147_483_647)
}

/** `field` (a relationship) of each of the documents `ids`, in one query: a system lookup, whatever the actor may read. */
const lookUp = async (req: PayloadRequest, collection: CollectionSlug, field: string, ids: (string | undefined)[], inTransaction: boolean) => {
  const missing = [...new Set(ids.filter((id): id is string => id !== undefined && isPossibleID(req, id)))]
  if (missing.length === 0) {
    return new Map<string, string | undefined>()
  }
  const fast = poolOf(req, inTransaction)
  if (fast) {
    return selectColumn(fast.pool, { column: `${field}_id`, idType: fast.idType, ids: missing, table: toTableName(collection) })
  }
  const { docs } = await req.payload.find({
    collection,
    depth: 0,
    limit: missing.length,
    overrideAccess: true,
    pagination: false,
    ...(inTransaction ? asAuditSystem(req) : { context: auditSystemContext }),
    select: { [field]: true } as never,
    where: { id: { in: missing } },
  })
  return new Map((docs as Record<string, unknown>[]).map((doc) => [String(doc.id), idOf(doc[field])]))
}

/**
 * Refusals name a document only by the ID the client sent. For a consultation that exists, the
 * event gets it as its consultation and its patient (a system lookup by ID, whatever the actor
 * may read), so the patient sees in their audit list that someone tried; an unknown ID gets
 * neither. Images are handled with every other image event below.
 */
const fillRefusedConsultations = async ({ slugs }: SanitizedDermaImagesPluginConfig, req: PayloadRequest, rows: Row[], inTransaction: boolean) => {
  const refused = rows.filter(
    (row) => row.action === 'denied' && row.documentCollection === slugs.consultations && row.documentId !== undefined && !row.consultation,
  )
  const patients = await lookUp(req, slugs.consultations, 'patient', refused.map((row) => row.documentId), inTransaction)
  for (const row of refused) {
    if (row.documentId !== undefined && patients.has(row.documentId)) {
      row.consultation = row.documentId
      row.patient ??= patients.get(row.documentId)
    }
  }
}

/** Lesion events that do not name their patient (refusals, by ID) get it from one system lookup. */
const fillLesionPatients = async ({ slugs }: SanitizedDermaImagesPluginConfig, req: PayloadRequest, rows: Row[], inTransaction: boolean) => {
  const lesionRows = rows.filter((row) => row.documentCollection === slugs.lesions && row.documentId !== undefined && !row.patient)
  const patients = await lookUp(req, slugs.lesions, 'patient', lesionRows.map((row) => row.documentId), inTransaction)
  for (const row of lesionRows) {
    row.patient = patients.get(row.documentId ?? '')
  }
}

/**
 * Each event is attributed to its consultation and patient (so the patient can read it): image
 * events that do not name their consultation (the FHIR export's, refusals) and events that name
 * no patient get them from one query each.
 */
const fillOwners = async (config: SanitizedDermaImagesPluginConfig, req: PayloadRequest, rows: Row[], inTransaction: boolean) => {
  const { slugs } = config
  await fillRefusedConsultations(config, req, rows, inTransaction)
  await fillLesionPatients(config, req, rows, inTransaction)
  const isImage = (row: Row) => row.documentCollection === slugs.consultationImages && row.documentId !== undefined
  const imageRows = rows.filter((row) => isImage(row) && !row.consultation)
  const consultations = await lookUp(req, slugs.consultationImages, 'consultation', imageRows.map((row) => row.documentId), inTransaction)
  for (const row of imageRows) {
    row.consultation = consultations.get(row.documentId ?? '')
  }
  if (poolOf(req, inTransaction)) {
    // The insert itself joins the consultations for their patients.
    return
  }
  const patientRows = rows.filter((row) => row.consultation && !row.patient)
  const patients = await lookUp(req, slugs.consultations, 'patient', patientRows.map((row) => row.consultation), inTransaction)
  for (const row of patientRows) {
    row.patient = patients.get(row.consultation ?? '')
  }
}

/**
 * Appends `events` with the request's user, role and (trusted) address, as one multi-row INSERT
 * on PostgreSQL. `with-change`: inside the request's transaction (a write's event commits or
 * rolls back with the change). `apart`: on the pool, or, when the request holds a transaction,
 * inside it under a savepoint, so a failed insert never aborts the request's transaction.
 * Throws on failure: the caller decides what that means.
 */
export const writeAuditEvents = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  events: AuditEvent[],
  { mode }: { mode: 'apart' | 'with-change' },
): Promise<void> => {
  if (events.length === 0) {
    return
  }
  const user = getUserOf(req, config.slugs.users)
  const now = new Date().toISOString()
  const actor = { ip: clientAddressOf(req.headers, config.audit.trustedProxyHops), role: getRole(user), user: idOf(user?.id) }
  const rows: Row[] = events.map((event) => ({ ...actor, ...event, createdAt: now, updatedAt: now }))
  const adapter = req.payload.db
  const isPostgres = isPostgresAdapter(adapter)
  const { drizzle, sessions, tables } = adapter as unknown as DrizzleAdapterLike
  const session = isPostgres && req.transactionID ? sessions?.[await req.transactionID]?.db : undefined
  const inTransaction = session !== undefined || (!isPostgres && mode === 'with-change')
  await fillOwners(config, req, rows, inTransaction)
  const fast = poolOf(req, inTransaction)
  if (fast) {
    await insertRows(fast.pool, toTableName(config.slugs.auditEvents), rows, { idType: fast.idType, table: toTableName(config.slugs.consultations) })
    return
  }
  if (isPostgres) {
    const table = tables[toTableName(config.slugs.auditEvents)]
    if (session && mode === 'apart') {
      // Inside the request's transaction, under a savepoint: no second pooled connection while this
      // one is held (20 concurrent writes would exhaust the pool), and a failed insert undoes only itself.
      await session.transaction((savepoint) => savepoint.insert(table).values(rows))
      return
    }
    await (session ?? drizzle).insert(table).values(rows)
    return
  }
  for (const { createdAt: _createdAt, updatedAt: _updatedAt, ...data } of rows) {
    // The plugin's own append: nobody may create events through the API, the plugin must.
    await req.payload.create({
      collection: config.slugs.auditEvents,
      data: data as never,
      overrideAccess: true,
      ...(inTransaction ? asAuditSystem(req) : { context: auditSystemContext }),
    })
  }
}
