import type { BaseDatabaseAdapter, PayloadRequest } from 'payload'

/** The drizzle-based adapter's parts this plugin uses; present on @payloadcms/db-postgres. */
type PostgresLikeAdapter = {
  afterSchemaInit?: Array<(args: PostgresSchemaHookArgs) => unknown>
  execute: (args: { db?: unknown; sql: unknown }) => Promise<unknown>
  sessions?: Record<number | string, { db: unknown } | undefined>
} & BaseDatabaseAdapter

type PostgresSchemaHookArgs = {
  extendTable: (args: { extraConfig: (columns: Record<string, unknown>) => object; table: unknown }) => unknown
  schema: { enums: unknown; relations: unknown; tables: Record<string, Record<string, unknown>> }
}

export const isPostgresAdapter = (db: BaseDatabaseAdapter): db is PostgresLikeAdapter =>
  db.name === 'postgres' && typeof (db as Partial<PostgresLikeAdapter>).execute === 'function'

export const toTableName = (slug: string): string => slug.replace(/-/g, '_')

/**
 * Adds two indexes to the images table:
 * - `UNIQUE (consultation_id) WHERE is_primary`, so that two primary images of one consultation
 *   are impossible even under concurrent writes;
 * - `(consultation_id, id)`, so that Payload's paginated count (`COUNT(1) OVER() … WHERE
 *   consultation_id = $1 GROUP BY id`, run by every list and by the ZIP) and the ZIP's keyset pages
 *   (`… AND id > $2 ORDER BY id`) read one consultation's index entries only. With the
 *   single-column index the planner may walk the whole table along the primary key instead,
 *   depending on its statistics. Payload's collection `indexes` cannot name `id`, hence here.
 */
export const addImageIndexes = (adapter: BaseDatabaseAdapter, imagesSlug: string): void => {
  if (!isPostgresAdapter(adapter)) {
    return
  }
  const tableName = toTableName(imagesSlug)
  adapter.afterSchemaInit = [
    ...(adapter.afterSchemaInit ?? []),
    async ({ extendTable, schema }: PostgresSchemaHookArgs) => {
      const { sql } = await import('@payloadcms/db-postgres/drizzle')
      const { index, uniqueIndex } = await import('@payloadcms/db-postgres/drizzle/pg-core')
      const table = schema.tables[tableName]
      if (!table) {
        throw new Error(`payload-derma-images: table ${tableName} not found in the schema`)
      }
      extendTable({
        extraConfig: (columns) => ({
          [`${tableName}_one_primary_idx`]: uniqueIndex(`${tableName}_one_primary_idx`)
            .on(columns.consultation as never)
            .where(sql`${columns.isPrimary as never} = true`),
          [`${tableName}_consultation_keyset_idx`]: index(`${tableName}_consultation_keyset_idx`).on(
            columns.consultation as never,
            columns.id as never,
          ),
        }),
        table,
      })
      return schema
    },
  ]
}

/** The adapter and the request's transaction session, or `undefined` outside PostgreSQL or a transaction. */
const transactionOf = async (req: PayloadRequest): Promise<{ adapter: PostgresLikeAdapter; db: unknown } | undefined> => {
  const adapter = req.payload.db
  if (!isPostgresAdapter(adapter) || !req.transactionID) {
    return undefined
  }
  const db = adapter.sessions?.[await req.transactionID]?.db
  return db ? { adapter, db } : undefined
}

/**
 * Locks one row `FOR UPDATE` inside the request's transaction, serialising the writers of one
 * consultation (its primary image, its first image). A no-op outside PostgreSQL or a transaction.
 */
export const lockRowForUpdate = async (
  req: PayloadRequest,
  slug: string,
  id: number | string,
): Promise<void> => {
  const transaction = await transactionOf(req)
  if (!transaction) {
    return
  }
  const { sql } = await import('@payloadcms/db-postgres/drizzle')
  await transaction.adapter.execute({
    db: transaction.db,
    sql: sql`SELECT id FROM ${sql.identifier(toTableName(slug))} WHERE id = ${id} FOR UPDATE`,
  })
}

/**
 * Locks `FOR UPDATE` the consultation of an image (looked up by the image's ID) inside the
 * request's transaction: the same lock, in the same order, as every other writer of that
 * consultation's images. A no-op outside PostgreSQL or a transaction.
 */
export const lockConsultationOfImage = async (
  req: PayloadRequest,
  slugs: { consultationImages: string; consultations: string },
  imageID: number | string,
): Promise<void> => {
  const transaction = await transactionOf(req)
  if (!transaction) {
    return
  }
  const { sql } = await import('@payloadcms/db-postgres/drizzle')
  const consultations = sql.identifier(toTableName(slugs.consultations))
  const images = sql.identifier(toTableName(slugs.consultationImages))
  await transaction.adapter.execute({
    db: transaction.db,
    sql: sql`SELECT id FROM ${consultations} WHERE id = (SELECT consultation_id FROM ${images} WHERE id = ${imageID}) FOR UPDATE`,
  })
}

/**
 * Locks `FOR UPDATE` several consultations, in ID order (so that two writers of overlapping sets
 * cannot deadlock), inside the request's transaction. A no-op outside PostgreSQL or a
 * transaction, or for no consultations.
 */
export const lockConsultations = async (
  req: PayloadRequest,
  slugs: { consultations: string },
  ids: (number | string)[],
): Promise<void> => {
  const transaction = await transactionOf(req)
  if (!transaction || ids.length === 0) {
    return
  }
  const { sql } = await import('@payloadcms/db-postgres/drizzle')
  const consultations = sql.identifier(toTableName(slugs.consultations))
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )
  await transaction.adapter.execute({
    db: transaction.db,
    sql: sql`SELECT id FROM ${consultations} WHERE id IN (${list}) ORDER BY id FOR UPDATE`,
  })
}
