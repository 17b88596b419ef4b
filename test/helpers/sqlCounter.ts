import type { Payload } from 'payload'

type Queryable = { query: (...args: unknown[]) => unknown }
type ClientClass = { prototype: Queryable }

/**
 * Records every SQL statement the Payload adapter sends while `run` runs: the pool's client class
 * (which both pooled queries and transactions' checked-out clients go through) is wrapped for that
 * time only. Returns the statements' text.
 */
export const recordSql = async (payload: Payload, run: () => Promise<unknown>): Promise<string[]> => {
  const pool = (payload.db as unknown as { pool: { Client: ClientClass } }).pool
  const prototype = pool.Client.prototype
  const original = prototype.query
  const statements: string[] = []
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const [first] = args
    const text = typeof first === 'string' ? first : (first as { text?: string } | null)?.text
    if (text !== undefined) {
      statements.push(text)
    }
    return original.apply(this, args)
  }
  try {
    await run()
  } finally {
    prototype.query = original
  }
  return statements
}

/** The statements that read from `table` (`from "table"`, as Drizzle writes them). */
export const readsOf = (statements: string[], table: string): string[] =>
  statements.filter((statement) => new RegExp(`from "${table}"`, 'i').test(statement))
