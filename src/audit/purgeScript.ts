import type { SanitizedConfig } from 'payload'

import { getPayload } from 'payload'

import { purgeExpiredAuditEvents } from './retention.js'

/**
 * `npx payload derma-images:purge-audit-events` (add `--cron "0 3 * * *"` to run it daily):
 * deletes the audit events older than `audit.retentionDays`, and only those.
 */
export const script = async (config: SanitizedConfig): Promise<void> => {
  const payload = await getPayload({ config })
  const { deleted, retentionDays } = await purgeExpiredAuditEvents(payload)
  payload.logger.info({
    msg:
      retentionDays === undefined
        ? 'payload-derma-images: audit.retentionDays is not set, audit events are kept forever; nothing deleted'
        : `payload-derma-images: ${String(deleted)} audit event(s) older than ${String(retentionDays)} days deleted`,
  })
  if (!process.argv.includes('--cron')) {
    // Payload keeps a pooled connection open for its lifetime: a one-off command ends here.
    process.exit(0)
  }
}
