import type { BaseDatabaseAdapter, Config, PayloadRequest } from 'payload'

type DatabaseAdapterResult = Config['db']

type Callback = () => Promise<void> | void

type Pending = { onCommit: Callback[]; onRollback: Callback[] }

const pendingByAdapter = new WeakMap<object, Map<number | string, Pending>>()

const runAll = async (callbacks: Callback[], adapter: BaseDatabaseAdapter): Promise<void> => {
  for (const callback of callbacks) {
    try {
      await callback()
    } catch (err) {
      // Callbacks are file clean-ups after the database has decided; a failure here leaves an
      // orphan file that `npm run reconcile` finds, never a row pointing at a missing file.
      adapter.payload.logger.error({ err, msg: 'payload-derma-images: transaction callback failed' })
    }
  }
}

/**
 * Wraps a database adapter so that work can be scheduled for after its transaction commits or
 * rolls back (Rails' after_commit). Files are written before the row and removed on rollback;
 * files of deleted rows are removed only once the delete has committed.
 */
export const withTransactionCallbacks = (db: DatabaseAdapterResult): DatabaseAdapterResult => ({
  ...db,
  init: (args) => {
    const adapter = db.init(args)
    const pending = new Map<number | string, Pending>()
    pendingByAdapter.set(adapter, pending)
    const commit = adapter.commitTransaction.bind(adapter)
    const rollback = adapter.rollbackTransaction.bind(adapter)
    adapter.commitTransaction = async (incomingID) => {
      const id = await incomingID
      await commit(id)
      const callbacks = pending.get(id)
      pending.delete(id)
      if (callbacks) {
        await runAll(callbacks.onCommit, adapter)
      }
    }
    adapter.rollbackTransaction = async (incomingID) => {
      const id = await incomingID
      await rollback(id)
      const callbacks = pending.get(id)
      pending.delete(id)
      if (callbacks) {
        await runAll(callbacks.onRollback, adapter)
      }
    }
    return adapter
  },
})

/**
 * Schedules `onCommit` / `onRollback` for the request's transaction. Without a transaction the
 * write is already final: `onCommit` runs at once and `onRollback` never does.
 */
export const afterTransaction = async (
  req: PayloadRequest,
  { onCommit, onRollback }: { onCommit?: Callback; onRollback?: Callback },
): Promise<void> => {
  const pending = pendingByAdapter.get(req.payload.db)
  const id = req.transactionID ? await req.transactionID : undefined
  if (!pending || id === undefined) {
    if (onCommit) {
      await runAll([onCommit], req.payload.db)
    }
    return
  }
  const entry = pending.get(id) ?? { onCommit: [], onRollback: [] }
  if (onCommit) {
    entry.onCommit.push(onCommit)
  }
  if (onRollback) {
    entry.onRollback.push(onRollback)
  }
  pending.set(id, entry)
}
