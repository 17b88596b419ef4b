/** A pg pool or client: what the fast path below needs of it. */
export type Queryable = { query: (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> }

/** The audit row's fields and their columns (Payload's snake_case names for the plugin's own fields). */
const columns = [
  ['action', 'action'],
  ['channel', 'channel'],
  ['user', 'user'],
  ['role', 'role'],
  ['documentCollection', 'document_collection'],
  ['documentId', 'document_id'],
  ['consultation', 'consultation'],
  ['patient', 'patient'],
  ['variant', 'variant'],
  ['status', 'status'],
  ['ip', 'ip'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
] as const

type Field = (typeof columns)[number][0]

/** Rows per statement: 13 parameters each, far below PostgreSQL's 65 535. */
const chunkSize = 1000

/** How each column is cast from the text of its parameter. */
const castOf = (table: string, column: string): string =>
  ['action', 'channel', 'role'].includes(column)
    ? `::"enum_${table}_${column}"`
    : column === 'status'
      ? '::numeric'
      : column.endsWith('_at')
        ? '::timestamptz'
        : ''

type Patients = { idType: 'integer' | 'uuid'; table: string }

/**
 * One parameterised multi-row INSERT per 1 000 rows, straight on the pool: a 100-row list read
 * costs one statement, without building 100 ORM objects. Rows that name a consultation but no
 * patient get the consultation's patient in the same statement (a join on `patients.table`).
 */
export const insertRows = async (db: Queryable, table: string, rows: Partial<Record<Field, unknown>>[], patients: Patients): Promise<void> => {
  const names = columns.map(([, column]) => `"${column}"`).join(', ')
  const selected = columns
    .map(([, column]) => (column === 'patient' ? 'coalesce(v.patient, c.patient_id::text)' : `v."${column}"${castOf(table, column)}`))
    .join(', ')
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize)
    const placeholders = chunk.map((_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`)
    const values = chunk.flatMap((row) => columns.map(([field]) => row[field] ?? null))
    await db.query(
      `INSERT INTO "${table}" (${names}) SELECT ${selected} FROM (VALUES ${placeholders.join(', ')}) AS v(${names})
        LEFT JOIN "${patients.table}" c ON c.id = v.consultation::${patients.idType}`,
      values,
    )
  }
}

/** `column` (as text) of the rows `ids` of `table`, by ID, in one query. */
export const selectColumn = async (
  db: Queryable,
  { column, idType, ids, table }: { column: string; idType: 'integer' | 'uuid'; ids: string[]; table: string },
): Promise<Map<string, string | undefined>> => {
  const { rows } = await db.query(`SELECT id::text AS id, "${column}"::text AS value FROM "${table}" WHERE id = ANY($1::${idType}[])`, [ids])
  return new Map(rows.map((row) => [String(row.id), typeof row.value === 'string' ? row.value : undefined]))
}
