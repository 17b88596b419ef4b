import type { BaseDatabaseAdapter } from 'payload'

type Listener = (err: Error) => void
type Emitter = { on: (event: 'connect' | 'error', listener: (arg: never) => void) => unknown }
type PooledAdapter = { pool?: Emitter } & BaseDatabaseAdapter

/**
 * Keeps a lost database connection from taking the server down. node-postgres emits `error` on a
 * connection that the server ends (restart, failover, `pg_terminate_backend`) while it is idle or
 * checked out between two queries of a transaction; with no listener that is an uncaught
 * exception. The pool already drops such a connection; the failing request gets a 500 and rolls
 * back (its files are removed), and the next one gets a fresh connection.
 */
export const logPoolErrors = (adapter: BaseDatabaseAdapter): void => {
  const { connect } = adapter as PooledAdapter
  if (!connect || adapter.name !== 'postgres') {
    return
  }
  adapter.connect = async function (this: PooledAdapter, ...args) {
    await connect.apply(this, args)
    const { pool } = this
    if (!pool || (pool as { dermaImagesListening?: boolean }).dermaImagesListening) {
      return
    }
    ;(pool as { dermaImagesListening?: boolean }).dermaImagesListening = true
    // The pool's error carries the client, whose connection parameters may hold the password.
    const log: Listener = (err) => {
      // After `payload.destroy()` (the adapter's `drizzle` is gone) a lost connection is expected.
      if (!(this as { drizzle?: unknown }).drizzle) {
        return
      }
      this.payload.logger.error({
        code: (err as { code?: string }).code,
        msg: `payload-derma-images: a database connection was lost (${err.message}); the pool drops it`,
      })
    }
    pool.on('error', log)
    pool.on('connect', (client: Emitter) => {
      client.on('error', log)
    })
  }
}
