/**
 * (c) Stock Payload: a plain upload collection with one 300 × 300 image size and Payload's own
 * local storage, on a PostgreSQL database of its own (schema pushed by the adapter). No plugin,
 * no hooks, Payload's defaults everywhere else (focal point on, original stored as uploaded).
 */
import { postgresAdapter } from '@payloadcms/db-postgres'
import { buildConfig } from 'payload'
import sharp from 'sharp'

export const buildStockConfig = ({ secret, staticDir, uri }: { secret: string; staticDir: string; uri: string }) =>
  buildConfig({
    admin: { user: 'users' },
    collections: [
      { slug: 'users', auth: true, fields: [] },
      {
        slug: 'media',
        fields: [],
        upload: { imageSizes: [{ name: 'thumbnail', height: 300, width: 300 }], staticDir },
      },
    ],
    db: postgresAdapter({ pool: { connectionString: uri, max: 20 }, push: true }),
    secret,
    sharp,
    telemetry: false,
    typescript: { autoGenerate: false },
  })
