import type { Payload } from 'payload'

type Sessions = Record<number | string, unknown>

const signals = ['SIGINT', 'SIGTERM'] as const

/** The Payload instances of this process whose in-flight transactions a shutdown must settle. */
const instances = new Set<{ payload: Payload; timeoutMs: number }>()
let isListening = false
let isShuttingDown = false

const openTransactions = (payload: Payload): string[] =>
  Object.keys((payload.db as unknown as { sessions?: Sessions }).sessions ?? {})

/**
 * Rolls back every transaction still open: PostgreSQL undoes their rows and the plugin's rollback
 * callbacks remove the files their uploads wrote, so a request cut off by the exit leaves nothing.
 */
const failInFlight = async (payload: Payload): Promise<number> => {
  const ids = openTransactions(payload)
  await Promise.all(ids.map((id) => payload.db.rollbackTransaction(id)))
  return ids.length
}

const settleAndExit = async (signal: NodeJS.Signals, exitNow: boolean): Promise<void> => {
  const code = signal === 'SIGINT' ? 130 : 143
  const deadline = Math.max(...[...instances].map((instance) => instance.timeoutMs))
  const stop = async () => {
    for (const { payload } of instances) {
      const failed = await failInFlight(payload).catch(() => 0)
      if (failed > 0) {
        payload.logger.warn({ msg: `payload-derma-images: ${String(failed)} request(s) still writing at shutdown were rolled back` })
      }
    }
    process.exit(code)
  }
  if (exitNow) {
    await stop()
    return
  }
  // The server (next start) drains its requests and exits by itself; this bounds the wait, so a
  // stuck request (a client sending a photo byte by byte) cannot keep the process alive.
  setTimeout(() => void stop(), deadline).unref()
}

/**
 * Bounds shutdown: on SIGTERM or SIGINT, requests get `timeoutMs` to finish while the server drains
 * them; then what is still open is rolled back (rows and files) and the process exits. When
 * nothing else handles the signal (a script, a bare Node server), the plugin does at once what
 * the default handler would (exit), after rolling back what is open.
 */
export const boundShutdown = (payload: Payload, timeoutMs: number): void => {
  instances.add({ payload, timeoutMs })
  if (isListening) {
    return
  }
  isListening = true
  for (const signal of signals) {
    process.on(signal, () => {
      if (isShuttingDown) {
        return
      }
      isShuttingDown = true
      void settleAndExit(signal, process.listenerCount(signal) === 1)
    })
  }
}
