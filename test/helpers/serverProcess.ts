/**
 * A child process serving the demo app over real HTTP (see ./httpServer.ts), started by
 * `spawnServer` in ./childServer.ts with the test file's DATABASE_URI and DERMA_UPLOADS_DIR.
 * It tells its parent over IPC when it listens (`{ event: 'ready', port }`).
 *
 * DERMA_TEST_FAULT=block-after-write: every upload, once its files are written and before its row
 * is inserted, reports `{ event: 'files-written' }` and then waits forever, so that the parent can
 * SIGKILL the server at exactly that point.
 */
import { getPayload } from 'payload'

import { createApiServer, listenOnFreePort } from './httpServer.js'

const send = (message: Record<string, unknown>): void => {
  process.send?.(message)
}

const { default: config } = await import('../../payload.config.js')
const payload = await getPayload({ config })

if (process.env.DERMA_TEST_FAULT === 'block-after-write') {
  const hooks = payload.collections['consultation-images'].config.hooks
  hooks.beforeChange = [
    ...hooks.beforeChange,
    async () => {
      send({ event: 'files-written' })
      await new Promise(() => undefined)
    },
  ]
}

const server = createApiServer(payload.config)
const port = await listenOnFreePort(server)
send({ event: 'ready', port })
