/**
 * A child process serving the demo app over real HTTP (see ./httpServer.ts), started by
 * `spawnServer` in ./childServer.ts with the test file's DATABASE_URI and DERMA_UPLOADS_DIR.
 * It tells its parent over IPC when it listens (`{ event: 'ready', port }`). On SIGTERM it does
 * what `next start` does: stops accepting, drains the requests in flight, then exits 143.
 *
 * `{ event: 'stats' }` answers `{ event: 'stats', cpuMs, fds, heapUsed, external, peakRss, rss }` (peak
 * since the previous 'stats', sampled every 20 ms), for the load benchmark. With `gc: true`, and the
 * process started with `--expose-gc`, a full garbage collection runs first, so that `heapUsed` and
 * `external` are what is still reachable: the figures that tell a leak from a heap still settling.
 *
 * DERMA_TEST_FAULT=hold-after-write: every upload, once its files are written and before its row
 * is inserted, reports `{ event: 'files-written' }` and waits for `{ event: 'release' }` from the
 * parent (forever if none comes), so that the parent can kill or stop the server at that point.
 */
import { readdirSync } from 'node:fs'
import { getPayload } from 'payload'

import { createApiServer, listenOnFreePort } from './httpServer.js'

const send = (message: Record<string, unknown>): void => {
  process.send?.(message)
}

const released = (): Promise<void> =>
  new Promise((resolve) => {
    const onMessage = (message: { event?: string }) => {
      if (message.event === 'release') {
        process.off('message', onMessage)
        resolve()
      }
    }
    process.on('message', onMessage)
  })

const { default: config } = await import('../../payload.config.js')
const payload = await getPayload({ config })

if (process.env.DERMA_TEST_FAULT === 'hold-after-write') {
  const hooks = payload.collections['consultation-images'].config.hooks
  hooks.beforeChange = [
    ...hooks.beforeChange,
    async () => {
      const release = released()
      send({ event: 'files-written' })
      await release
    },
  ]
}

let peakRss = 0
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
}, 20).unref()
process.on('message', (message: { event?: string; gc?: boolean }) => {
  if (message.event === 'stats') {
    if (message.gc) {
      globalThis.gc?.()
    }
    const { external, heapUsed, rss } = process.memoryUsage()
    const { system, user } = process.cpuUsage()
    send({ cpuMs: (system + user) / 1000, event: 'stats', external, fds: readdirSync('/proc/self/fd').length, heapUsed, peakRss: Math.max(peakRss, rss), rss })
    peakRss = rss
  }
})

const server = createApiServer(payload.config)
process.on('SIGTERM', () => {
  server.close(() => {
    process.exit(143)
  })
  server.closeIdleConnections()
})
const port = await listenOnFreePort(server)
send({ event: 'ready', port })
