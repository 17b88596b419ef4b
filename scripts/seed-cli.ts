/**
 * Seeds the demo data: `npx payload run scripts/seed-cli.ts` (or `tsx scripts/seed-cli.ts`),
 * with DATABASE_URI and PAYLOAD_SECRET set — `npm run seed` does that for you.
 */
import { getPayload } from 'payload'

import { seedDemo } from './seed.js'

const { default: config } = await import('../payload.config.js')
const payload = await getPayload({ config })

try {
  await seedDemo(payload)
} catch (error) {
  payload.logger.error({ err: error, msg: 'Seeding the demo data failed' })
  process.exit(1)
}
process.exit(0)
