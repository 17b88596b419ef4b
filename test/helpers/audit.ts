import type { Payload } from 'payload'

import type { ClinicContext } from './setup.js'

import { startClinic } from './setup.js'

/** An `audit_events` row as PostgreSQL returns it (snake_case columns). */
export type AuditRow = {
  action: string
  channel: string
  consultation: null | string
  created_at: Date
  document_collection: null | string
  document_id: null | string
  id: number
  ip: null | string
  patient: null | string
  role: null | string
  status: null | string
  user: null | string
  variant: null | string
}

/** The adapter's own pool, for reading the audit trail straight from its table. */
export type AuditPool = { query: (sql: string, params?: unknown[]) => Promise<{ rows: AuditRow[] }> }

export const auditPoolOf = (payload: Payload): AuditPool => (payload.db as unknown as { pool: AuditPool }).pool

/** The rows the audit trail gained while `act` ran, read straight from the table, in order. */
export const auditEventsOf =
  (pool: AuditPool) =>
  async (act: () => Promise<unknown>): Promise<AuditRow[]> => {
    const { rows } = await pool.query('SELECT coalesce(max(id), 0) AS id FROM audit_events')
    const before = rows[0]?.id ?? 0
    await act()
    return (await pool.query('SELECT * FROM audit_events WHERE id > $1 ORDER BY id', [before])).rows
  }

export type AuditedClinicContext = ClinicContext & {
  /** See `auditEventsOf`. */
  eventsOf: (act: () => Promise<unknown>) => Promise<AuditRow[]>
  pool: AuditPool
}

/** `startClinic`, with the SQL client and the audit-row query the audit tests read the trail with. */
export const startAuditedClinic = async (label: string): Promise<AuditedClinicContext> => {
  const ctx = await startClinic(label)
  const pool = auditPoolOf(ctx.payload)
  return { ...ctx, eventsOf: auditEventsOf(pool), pool }
}

/** Renames the table away while `act` runs, so that every audit insert fails. */
export const withBrokenAuditTrail = async <T>(pool: AuditPool, act: () => Promise<T>): Promise<T> => {
  await pool.query('ALTER TABLE audit_events RENAME TO audit_events_unavailable')
  try {
    return await act()
  } finally {
    await pool.query('ALTER TABLE audit_events_unavailable RENAME TO audit_events')
  }
}
