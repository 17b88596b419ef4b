import type { Payload } from 'payload'

import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { getPayload } from 'payload'

import { createTestDatabase } from './database.js'

export type TestContext = {
  cleanup: () => Promise<void>
  payload: Payload
  uploadsDir: string
}

/**
 * Boots the demo app's real config on a fresh PostgreSQL database migrated with the committed
 * migrations, with uploads in a fresh directory. One per test file.
 */
export const startPayload = async (label: string): Promise<TestContext> => {
  const database = await createTestDatabase(label)
  const uploadsDir = await fs.mkdtemp(path.join(os.tmpdir(), `derma-${label}-`))
  process.env.DATABASE_URI = database.uri
  process.env.DERMA_UPLOADS_DIR = uploadsDir
  process.env.PAYLOAD_SECRET ??= 'test-secret-not-for-production'
  const { default: config } = await import('../../payload.config.js')
  const payload = await getPayload({ config })
  await payload.db.migrate()
  return {
    cleanup: async () => {
      await payload.destroy()
      // Payload keeps one pooled client checked out for the adapter's lifetime, so pool.end()
      // would wait forever; dropping the database WITH (FORCE) closes every connection instead.
      const { pool } = payload.db as unknown as { pool: { on: (event: 'error', listener: () => void) => void } }
      pool.on('error', () => undefined)
      await database.drop()
      await fs.rm(uploadsDir, { force: true, recursive: true })
    },
    payload,
    uploadsDir,
  }
}

/** Files currently in the uploads directory (stored files and any left-over temp files). */
export const listUploads = async (uploadsDir: string): Promise<string[]> =>
  (await fs.readdir(uploadsDir).catch(() => [])).sort()
