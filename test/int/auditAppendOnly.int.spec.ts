import type { Payload } from 'payload'

import type { TestContext } from '../helpers/payload.js'

import { down, up } from '../../migrations/20261201_124054_audit_append_only.js'
import { purgeExpiredAuditEvents } from '../../src/audit/retention.js'
import { startPayload } from '../helpers/payload.js'

type Pool = { query: (sql: string, params?: unknown[]) => Promise<{ rowCount: number; rows: { id: number }[] }> }

let ctx: TestContext
let pool: Pool

beforeAll(async () => {
  ctx = await startPayload('audit_append_only')
  pool = (ctx.payload.db as unknown as { pool: Pool }).pool
})

afterAll(async () => {
  await ctx.cleanup()
})

/** An event written straight into the table (INSERT stays allowed), `ageDays` old. */
const insertEvent = async (ageDays: number): Promise<number> => {
  const { rows } = await pool.query(
    `INSERT INTO audit_events (action, channel, document_collection, created_at, updated_at)
     VALUES ('read', 'rest', 'consultations', now() - make_interval(days => $1::int), now()) RETURNING id`,
    [ageDays],
  )
  return rows[0]?.id ?? 0
}

const exists = async (id: number): Promise<boolean> => (await pool.query('SELECT id FROM audit_events WHERE id = $1', [id])).rows.length === 1

/** The error PostgreSQL answered with, or `undefined` when the statement went through. */
const refusalOf = async (statement: () => Promise<unknown>): Promise<string | undefined> => {
  try {
    await statement()
    return undefined
  } catch (error) {
    return `${String((error as { code?: string }).code)} ${(error as Error).message}`
  }
}

/** The demo app keeps events forever; these tests give its sanitized audit collection a retention, as `audit.retentionDays` would. */
const withRetention = async <T>(payload: Payload, days: number | undefined, run: () => Promise<T>): Promise<T> => {
  const collection = payload.config.collections.find((entry) => entry.slug === 'audit-events')
  const marker = (collection?.custom as { dermaImagesAuditTrail: { retentionDays: number | undefined } }).dermaImagesAuditTrail
  const before = marker.retentionDays
  marker.retentionDays = days
  try {
    return await run()
  } finally {
    marker.retentionDays = before
  }
}

describe('the audit table in PostgreSQL', () => {
  it('should refuse an UPDATE, whoever sends it', async () => {
    const id = await insertEvent(0)
    expect(await refusalOf(() => pool.query(`UPDATE audit_events SET "user" = '0' WHERE id = $1`, [id]))).toBe(
      '42501 UPDATE on audit_events refused: the audit trail is append-only',
    )
  })

  it('should refuse a DELETE', async () => {
    const id = await insertEvent(400)
    const refusal = await refusalOf(() => pool.query('DELETE FROM audit_events WHERE id = $1', [id]))
    expect([refusal, await exists(id)]).toEqual(['42501 DELETE on audit_events refused: the audit trail is append-only', true])
  })

  it('should refuse a TRUNCATE', async () => {
    await insertEvent(0)
    expect(await refusalOf(() => pool.query('TRUNCATE audit_events'))).toBe('42501 TRUNCATE on audit_events refused: the audit trail is append-only')
  })

  it('should refuse the system’s own Local API delete (overrideAccess: true) too', async () => {
    const id = await insertEvent(0)
    const refusal = await refusalOf(() => ctx.payload.delete({ collection: 'audit-events', id, overrideAccess: true }))
    expect([refusal === undefined, await exists(id)]).toEqual([false, true])
  })

  it('should refuse, under the retention setting, the deletion of an event younger than it says', async () => {
    const young = await insertEvent(10)
    const client = await (pool as unknown as { connect: () => Promise<Pool & { release: () => void }> }).connect()
    const refusal = await refusalOf(async () => {
      await client.query('BEGIN')
      await client.query(`SELECT set_config('derma_images.audit_retention_days', '30', true)`)
      await client.query('DELETE FROM audit_events WHERE id = $1', [young])
    }).finally(async () => {
      await client.query('ROLLBACK')
      client.release()
    })
    expect([refusal, await exists(young)]).toEqual(['42501 DELETE on audit_events refused: the audit trail is append-only', true])
  })

  it('should keep the retention setting to the purge’s own transaction', async () => {
    const old = await insertEvent(400)
    await withRetention(ctx.payload, 30, () => purgeExpiredAuditEvents(ctx.payload))
    const later = await insertEvent(400)
    expect([await refusalOf(() => pool.query('DELETE FROM audit_events WHERE id = $1', [later])), await exists(old)]).toEqual([
      '42501 DELETE on audit_events refused: the audit trail is append-only',
      false,
    ])
  })
})

describe('the retention purge', () => {
  it('should delete nothing when no retention is set (the default: keep forever)', async () => {
    const ancient = await insertEvent(36_500)
    const result = await withRetention(ctx.payload, undefined, () => purgeExpiredAuditEvents(ctx.payload))
    expect([result, await exists(ancient)]).toEqual([{ deleted: 0, retentionDays: undefined }, true])
  })

  it('should delete the events older than the retention, and only those', async () => {
    const expired = [await insertEvent(31), await insertEvent(3_000)]
    const kept = [await insertEvent(29), await insertEvent(0)]
    const { rows } = await pool.query('SELECT id FROM audit_events WHERE created_at < now() - interval \'30 days\'')
    const result = await withRetention(ctx.payload, 30, () => purgeExpiredAuditEvents(ctx.payload))
    const survivors = await Promise.all([...expired, ...kept].map(exists))
    expect([result, survivors]).toEqual([{ deleted: rows.length, retentionDays: 30 }, [false, false, true, true]])
  })
})

describe('the append-only migration', () => {
  it('should be reversible: down lets UPDATE through again, up refuses it again', async () => {
    const id = await insertEvent(0)
    const args = { db: (ctx.payload.db as unknown as { drizzle: never }).drizzle, payload: ctx.payload, req: {} as never }
    await down(args)
    const afterDown = await refusalOf(() => pool.query(`UPDATE audit_events SET "user" = 'migrated' WHERE id = $1`, [id]))
    await up(args)
    const afterUp = await refusalOf(() => pool.query(`UPDATE audit_events SET "user" = 'again' WHERE id = $1`, [id]))
    expect([afterDown, afterUp]).toEqual([undefined, '42501 UPDATE on audit_events refused: the audit trail is append-only'])
  })
})
