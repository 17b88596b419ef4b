/**
 * A failed database query, as logged: the database's error code, its message and the constraint,
 * table and column it names, never the SQL, its parameters or the server's `detail` (for a check
 * or unique violation: "Failing row contains (…)", every value of the row: descriptions, original
 * file names, client addresses).
 */
export class DatabaseQueryError extends Error {
  readonly code?: string
  readonly column?: string
  readonly constraint?: string
  readonly table?: string

  constructor(cause: unknown) {
    const { code, column, constraint, message, table } = (cause ?? {}) as Partial<Record<'code' | 'column' | 'constraint' | 'message' | 'table', string>>
    super(`database query failed${code ? ` (${code})` : ''}: ${message ?? 'no message'}`)
    this.name = 'DatabaseQueryError'
    Object.assign(this, { code, column, constraint, table })
  }
}

/** Drizzle's `DrizzleQueryError`: its message and own properties carry the query and its parameters. */
export const isQueryError = (error: unknown): error is Error & { cause?: unknown } =>
  error instanceof Error && 'params' in error && 'query' in error

/** What may be logged of an error: a failed query becomes a `DatabaseQueryError`, anything else is kept. */
export const withoutQueryParams = (error: unknown): unknown => (isQueryError(error) ? new DatabaseQueryError(error.cause) : error)
