import { postgresAdapter } from '@payloadcms/db-postgres'
import { en } from '@payloadcms/translations/languages/en'
import { fr } from '@payloadcms/translations/languages/fr'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildConfig } from 'payload'
import sharp from 'sharp'

import { Users } from './demo/Users.js'
import { dermaImagesPlugin } from './src/index.js'

const dirname = path.dirname(fileURLToPath(import.meta.url))

const secret = process.env.PAYLOAD_SECRET
if (!secret) {
  throw new Error('PAYLOAD_SECRET is not set (npm run dev sets a development value).')
}

/** The demo clinic: a Payload app with the plugin, on PostgreSQL with committed migrations. */
export default buildConfig({
  admin: {
    // Payload's default avatar is Gravatar: it would send a hash of every user's email to a third party.
    avatar: 'default',
    importMap: { baseDir: dirname },
    meta: { titleSuffix: ' — Derma Images' },
    user: Users.slug,
  },
  collections: [Users],
  db: postgresAdapter({
    migrationDir: path.resolve(dirname, 'migrations'),
    // Payload's edit-lock check takes a second connection per update (outside its transaction);
    // a bounded wait turns pool exhaustion under load into an error instead of a hang.
    pool: { connectionString: process.env.DATABASE_URI, connectionTimeoutMillis: 10_000, max: 20 },
    push: false,
  }),
  i18n: { fallbackLanguage: 'en', supportedLanguages: { en, fr } },
  plugins: [
    dermaImagesPlugin({
      // DERMA_SHUTDOWN_TIMEOUT_MS: the shutdown test's shorter bound; 10 s otherwise.
      shutdownTimeoutMs: process.env.DERMA_SHUTDOWN_TIMEOUT_MS ? Number(process.env.DERMA_SHUTDOWN_TIMEOUT_MS) : undefined,
      uploadsDir: process.env.DERMA_UPLOADS_DIR ?? path.resolve(dirname, 'uploads', 'consultation-images'),
    }),
  ],
  secret,
  sharp,
  telemetry: false,
  typescript: {
    autoGenerate: process.env.NODE_ENV !== 'test' && !process.env.CI,
    outputFile: path.resolve(dirname, 'payload-types.ts'),
  },
})
