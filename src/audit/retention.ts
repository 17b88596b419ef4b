import type { CollectionSlug, Payload, SanitizedCollectionConfig } from 'payload'

import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { isPostgresAdapter, toTableName } from '../db/postgres.js'
import { retentionSetting } from './appendOnly.js'

/** Marks the audit collection (its `custom`), with the retention the plugin was given. */
export const auditCollectionMarker = 'dermaImagesAuditTrail'

type Marker = { retentionDays: number | undefined }

/** The `payload` command that purges expired events: `npx payload derma-images:purge-audit-events`. */
export const purgeCommand = 'derma-images:purge-audit-events'

type Queryable = { query: (text: string, values?: unknown[]) => Promise<{ rowCount?: null | number }> }
type PoolLike = { connect: () => Promise<{ release: () => void } & Queryable> }

const markerOf = (collection: SanitizedCollectionConfig): Marker | undefined =>
  (collection.custom as Partial<Record<string, Marker>> | undefined)?.[auditCollectionMarker]

/** The audit collection and its retention, found by the plugin's marker whatever its slug. */
const auditCollectionOf = (payload: Payload): { marker: Marker; slug: string } => {
  for (const collection of payload.config.collections) {
    const marker = markerOf(collection)
    if (marker) {
      return { marker, slug: collection.slug }
    }
  }
  throw new Error('payload-derma-images: no audit-events collection in this config (is the plugin installed?)')
}

/**
 * On PostgreSQL: one transaction that sets `retentionSetting` for itself only (`set_config(…,
 * true)`), which is what lets the append-only trigger pass these deletions, and deletes the
 * events older than `days`. The trigger checks each row's age against the same setting.
 */
const purgeOnPostgres = async (pool: PoolLike, table: string, days: number): Promise<number> => {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT set_config($1, $2, true)', [retentionSetting, String(days)])
    const { rowCount } = await client.query(`DELETE FROM "${table}" WHERE created_at < now() - make_interval(days => $1::int)`, [days])
    await client.query('COMMIT')
    return rowCount ?? 0
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  } finally {
    client.release()
  }
}

/**
 * The retention path of the audit trail: deletes the events older than `audit.retentionDays`,
 * and nothing else; with no retention set (the default: keep forever), deletes nothing.
 * Returns how many events were deleted.
 */
export const purgeExpiredAuditEvents = async (payload: Payload): Promise<{ deleted: number; retentionDays: number | undefined }> => {
  const { marker, slug } = auditCollectionOf(payload)
  const { retentionDays } = marker
  if (retentionDays === undefined) {
    return { deleted: 0, retentionDays }
  }
  const { pool } = payload.db as unknown as { pool?: PoolLike }
  if (isPostgresAdapter(payload.db) && pool) {
    return { deleted: await purgeOnPostgres(pool, toTableName(slug), retentionDays), retentionDays }
  }
  // Other databases have no trigger to pass: the system's own purge, past every API's access (nobody may delete events).
  const cutoff = new Date(Date.now() - retentionDays * 86_400_000).toISOString()
  const { docs } = await payload.delete({ collection: slug as CollectionSlug, overrideAccess: true, where: { createdAt: { less_than: cutoff } } })
  return { deleted: docs.length, retentionDays }
}

/**
 * The `payload` command's entry (`config.bin`), or none where this module's own path cannot be
 * known (a bundle that rewrote `import.meta.url`): the operation stays available either way.
 */
export const getPurgeBinEntry = (): { key: string; scriptPath: string }[] => {
  try {
    const self = fileURLToPath(import.meta.url)
    return [{ key: purgeCommand, scriptPath: path.join(path.dirname(self), `purgeScript${path.extname(self)}`) }]
  } catch {
    return []
  }
}
