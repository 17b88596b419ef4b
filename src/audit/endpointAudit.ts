import type { Endpoint, PayloadRequest } from 'payload'

import { APIError } from 'payload'

import type { AuditChannel } from '../collections/AuditEvents/fields.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { AuditEvent } from './writeEvents.js'

import { writeOrLog } from '../hooks/auditAccess.js'
import { auditAs } from './requestState.js'
import { writeAuditEvents } from './writeEvents.js'
import { withoutQueryParams } from '../utilities/withoutQueryParams.js'

/**
 * Records an export (ZIP, FHIR) before its first byte leaves, its events (one, or one per image)
 * in one INSERT: fail closed, an export nobody can trace is not sent (503 in the error contract;
 * the cause is logged without query parameters).
 */
export const recordExport = async (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig, event: AuditEvent | AuditEvent[]): Promise<void> => {
  const events = Array.isArray(event) ? event : [event]
  try {
    await writeAuditEvents(req, config, events, { mode: 'apart' })
  } catch (err) {
    req.payload.logger.error({
      err: withoutQueryParams(err),
      msg: `payload-derma-images: ${events[0]?.action ?? 'export'} refused, its audit event${events.length > 1 ? 's' : ''} could not be written`,
    })
    throw new APIError('The export cannot be made right now.', 503)
  }
}

/** Marks the request as an export: its reads are covered by the one export event. */
export const beginExport = (req: PayloadRequest, channel: AuditChannel): void => {
  auditAs(req, channel)
}

const deniedStatuses = new Set([401, 403, 404])

/** Records the 401, 403 and 404 answers of one of the plugin's endpoints (log and continue). */
export const withAuditedDenials =
  (config: SanitizedDermaImagesPluginConfig, documentCollection: string, channel: AuditChannel) =>
  (endpoint: Endpoint): Endpoint => ({
    ...endpoint,
    handler: async (req) => {
      const response = await endpoint.handler(req)
      if (deniedStatuses.has(response.status)) {
        const id = (req.routeParams as { id?: unknown } | undefined)?.id
        await writeOrLog(req, config, [
          { action: 'denied', channel, documentCollection, documentId: typeof id === 'string' ? id : undefined, status: response.status },
        ])
      }
      return response
    },
  })
