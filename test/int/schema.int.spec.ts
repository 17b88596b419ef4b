import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { TestContext } from '../helpers/payload.js'

import { drizzle } from '@payloadcms/db-postgres/drizzle/node-postgres'
import os from 'node:os'
import { generateTypes } from 'payload/node'
import pg from 'pg'

import { createTestDatabase } from '../helpers/database.js'
import { startPayload } from '../helpers/payload.js'

type DrizzleKit = {
  generateDrizzleJson: (schema: unknown) => Promise<unknown>
  generateMigration: (before: unknown, after: unknown) => Promise<string[]>
  pushSchema: (schema: unknown, db: unknown) => Promise<{ apply: () => Promise<void>; statementsToExecute: string[] }>
}

type DrizzleAdapter = { drizzle: unknown; requireDrizzleKit: () => DrizzleKit; schema: unknown }

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

/** Every column, index and constraint of the public schema, as PostgreSQL itself reports them. */
const describeSchema = async (pool: pg.Pool) => {
  const query = async (sql: string) => (await pool.query(sql)).rows.map((row) => Object.values(row).join(' | '))
  return {
    columns: await query(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'payload_migrations' ORDER BY 1, 2`),
    constraints: await query(`SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'payload_migrations' ORDER BY 1, 2`),
    enums: await query(`SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY 1 ORDER BY 1`),
    indexes: await query(`SELECT tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> 'payload_migrations' ORDER BY 1, 2`),
  }
}

let ctx: TestContext
let adapter: DrizzleAdapter

beforeAll(async () => {
  ctx = await startPayload('schema')
  adapter = ctx.payload.db as unknown as DrizzleAdapter
})

afterAll(async () => {
  await ctx.cleanup()
})

const indexDefinition = async (name: string): Promise<string | undefined> => {
  const { $client } = adapter.drizzle as { $client: { query: (sql: string, values: unknown[]) => Promise<{ rows: { indexdef: string }[] }> } }
  return (await $client.query('SELECT indexdef FROM pg_indexes WHERE indexname = $1', [name])).rows[0]?.indexdef
}

describe('committed migrations', () => {
  it('should bring an empty database to exactly the schema the config describes', async () => {
    // Reference: a second empty database given the config's schema directly (drizzle-kit push).
    const reference = await createTestDatabase('schema_ref')
    const pool = new pg.Pool({ connectionString: reference.uri })
    try {
      const { apply } = await adapter.requireDrizzleKit().pushSchema(adapter.schema, drizzle({ client: pool }))
      await apply()
      const migrated = new pg.Pool({ connectionString: process.env.DATABASE_URI })
      const [actual, expected] = await Promise.all([describeSchema(migrated), describeSchema(pool)])
      await migrated.end()
      expect(actual).toEqual(expected)
    } finally {
      await pool.end()
      await reference.drop()
    }
  })

  it('should have a snapshot in step with the config (no migration left to create)', async () => {
    const snapshots = (await fs.readdir(migrationsDir)).filter((file) => file.endsWith('.json')).sort()
    const latest = JSON.parse(await fs.readFile(path.join(migrationsDir, snapshots.at(-1) ?? ''), 'utf8'))
    const kit = adapter.requireDrizzleKit()
    expect(await kit.generateMigration(latest, await kit.generateDrizzleJson(adapter.schema))).toEqual([])
  })

  it('should create the partial unique index that allows one primary image per consultation', async () => {
    expect(await indexDefinition('consultation_images_one_primary_idx')).toMatch(/UNIQUE INDEX .* \(consultation_id\) WHERE \(is_primary = true\)/)
  })

  it('should index the images by consultation then ID, for counts and keyset pages of one consultation', async () => {
    expect(await indexDefinition('consultation_images_consultation_keyset_idx')).toMatch(/INDEX .* USING btree \(consultation_id, id\)$/)
  })
})

describe('generated types', () => {
  it('should have the committed payload-types.ts in step with the config', async () => {
    const output = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'derma-types-')), 'payload-types.ts')
    process.env.PAYLOAD_TS_OUTPUT_PATH = output
    await generateTypes(ctx.payload.config, { log: false })
    delete process.env.PAYLOAD_TS_OUTPUT_PATH
    const committed = await fs.readFile(path.resolve(migrationsDir, '../payload-types.ts'), 'utf8')
    expect(await fs.readFile(output, 'utf8')).toBe(committed)
  })
})
