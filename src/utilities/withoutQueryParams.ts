/**
 * Drizzle's query errors carry the SQL and its parameters (descriptions, original file names,
 * client addresses) in their message: log only the database's own error (code and message).
 */
export const withoutQueryParams = (error: unknown): unknown =>
  error instanceof Error && 'params' in error && 'query' in error ? (error.cause ?? new Error('database query failed')) : error
