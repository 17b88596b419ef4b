import type { PayloadRequest, TypeWithID } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { refusedFileEvent } from './refusedFile.js'
import { auditAs } from './requestState.js'
import { idOf, writeAuditEvents } from './writeEvents.js'
import { writeOrLog } from '../hooks/auditAccess.js'
import { withoutQueryParams } from '../utilities/withoutQueryParams.js'

/** What the file route tells the audit trail. */
export type FileAudit = {
  /** Called first: the route writes its own event, not one `read` per row it looks up. */
  begin: (req: PayloadRequest) => void
  /** A file that does not exist or is not the user's, by the name asked for; logged and continued. */
  refused: (req: PayloadRequest, status: number, filename: string) => Promise<void>
  /** Before the first byte: `false` when the event could not be written (the file is then not sent). */
  served: (req: PayloadRequest, doc: { consultation?: unknown } & TypeWithID, variant: string) => Promise<boolean>
}

/**
 * Derivatives that are not recorded one by one. A gallery shows 24–100 thumbnails, each its own
 * request, right after the read that listed those very images (recorded, one row per image):
 * a 300×300 thumbnail of an image already recorded as read adds rows, not information. Originals
 * and previews (diagnostic quality) are recorded on every GET.
 */
const unrecordedVariants = new Set(['thumbnail'])

/**
 * The file route's audit: fail closed for served bytes (no event, no file: 503), log and
 * continue for refusals (the refusal stands either way).
 */
export const getFileAudit = (config: SanitizedDermaImagesPluginConfig): FileAudit => ({
  begin: (req) => {
    auditAs(req, 'file')
  },
  refused: async (req, status, filename) => {
    await writeOrLog(req, config, [await refusedFileEvent(req, config, filename, status)])
  },
  served: async (req, doc, variant) => {
    if (unrecordedVariants.has(variant)) {
      return true
    }
    try {
      const event = {
        action: 'file-download',
        channel: 'file',
        consultation: idOf(doc.consultation),
        documentCollection: config.slugs.consultationImages,
        documentId: idOf(doc.id),
        variant,
      } as const
      await writeAuditEvents(req, config, [event], { mode: 'apart' })
      return true
    } catch (err) {
      req.payload.logger.error({ err: withoutQueryParams(err), msg: 'payload-derma-images: file download not served, its audit event could not be written' })
      return false
    }
  },
})
