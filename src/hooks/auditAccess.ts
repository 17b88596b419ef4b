import type {
  CollectionAfterErrorHook,
  CollectionAfterOperationHook,
  CollectionAfterReadHook,
  CollectionBeforeOperationHook,
  PayloadRequest,
  RequestContext,
} from 'payload'

import type { AuditAction } from '../collections/AuditEvents/fields.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { refusedFileEvent } from '../audit/refusedFile.js'
import { auditStateOf, channelOf } from '../audit/requestState.js'
import { type AuditEvent, idOf, writeAuditEvents } from '../audit/writeEvents.js'
import { withoutQueryParams } from '../utilities/withoutQueryParams.js'
import { consentVariantOf } from './recordConsent.js'

type Doc = { consultation?: unknown; id?: unknown; patient?: unknown }

const writeActions: Partial<Record<string, AuditAction>> = {
  create: 'create',
  delete: 'delete',
  deleteByID: 'delete',
  update: 'update',
  updateByID: 'update',
}

const isSystem = (context: RequestContext): boolean => context.dermaImagesAuditSystem === true

/** The consultation and patient a consultation, an image or a lesion belongs to, as far as the doc says. */
const ownerOf = (config: SanitizedDermaImagesPluginConfig, slug: string, doc: Doc): Pick<AuditEvent, 'consultation' | 'patient'> => {
  if (slug === config.slugs.consultations) {
    return { consultation: idOf(doc.id), patient: idOf(doc.patient) }
  }
  if (slug === config.slugs.lesions) {
    // A lesion is the patient's, across consultations: it names no consultation.
    return { patient: idOf(doc.patient) }
  }
  return { consultation: idOf(doc.consultation), patient: idOf((doc.consultation as Doc | undefined)?.patient) }
}

const eventFor = (config: SanitizedDermaImagesPluginConfig, req: PayloadRequest, slug: string, action: AuditAction, doc: Doc): AuditEvent => {
  // A write that recorded an image's consent says so: `consent:<scopes>` (the consent history).
  const variant = action !== 'read' && slug === config.slugs.consultationImages ? consentVariantOf(req, doc.id) : undefined
  return {
    action,
    channel: channelOf(req),
    documentCollection: slug,
    documentId: idOf(doc.id),
    ...ownerOf(config, slug, doc),
    ...(variant ? { variant } : {}),
  }
}

/** Reads are logged and the response goes on: an audit outage must not stop clinical care. */
export const writeOrLog = async (req: PayloadRequest, config: SanitizedDermaImagesPluginConfig, events: AuditEvent[]): Promise<void> => {
  try {
    await writeAuditEvents(req, config, events, { mode: 'apart' })
  } catch (err) {
    req.payload.logger.error({ err: withoutQueryParams(err), msg: `payload-derma-images: ${events.length} audit event(s) could not be written` })
  }
}

/**
 * Notes every document a user's read returns (REST, GraphQL, the Local API with
 * `overrideAccess: false`); nothing is written here, so a list of 100 costs no extra query yet.
 * System reads (`overrideAccess: true`) are not user access and are not recorded.
 */
export const getAuditReadHook =
  (config: SanitizedDermaImagesPluginConfig): CollectionAfterReadHook =>
  ({ collection, context, doc, overrideAccess, req }) => {
    const state = auditStateOf(req)
    const isWritten = (state.writing.get(collection.slug) ?? 0) > 0
    if (overrideAccess !== true && !isSystem(context) && !state.suppressReads && !isWritten) {
      state.pending.push(eventFor(config, req, collection.slug, 'read', doc as Doc))
    }
    return doc as unknown
  }

const isUserWriteOf = (operation: string, args: unknown, context: RequestContext): boolean =>
  writeActions[operation] !== undefined && (args as { overrideAccess?: boolean }).overrideAccess !== true && !isSystem(context)

/**
 * Marks a user's create, update or delete as under way, so that the documents it reads and
 * returns (which pass through afterRead) are recorded as the write, not as reads.
 */
export const auditBeginWriteHook: CollectionBeforeOperationHook = (hookArgs) => {
  const { args, collection, req } = hookArgs
  if (isUserWriteOf((hookArgs as { operation: string }).operation, args, req.context)) {
    const { writing } = auditStateOf(req)
    writing.set(collection.slug, (writing.get(collection.slug) ?? 0) + 1)
  }
  return args
}

/**
 * After each operation: a user's create, update or delete is recorded inside the operation's
 * transaction (if it cannot be, the change rolls back: fail closed); then the reads noted by
 * `getAuditReadHook` are written as one multi-row insert, outside the transaction (log and continue).
 */
export const getAuditOperationHook =
  (config: SanitizedDermaImagesPluginConfig): CollectionAfterOperationHook =>
  async (hookArgs) => {
    const { args, collection, req, result } = hookArgs
    const state = auditStateOf(req)
    const operation = (hookArgs as { operation: string }).operation
    const action = writeActions[operation]
    if (action && isUserWriteOf(operation, args, req.context)) {
      state.writing.set(collection.slug, (state.writing.get(collection.slug) ?? 1) - 1)
      const docs = (Array.isArray((result as { docs?: unknown }).docs) ? (result as { docs: Doc[] }).docs : [result]) as Doc[]
      await writeAuditEvents(req, config, docs.map((doc) => eventFor(config, req, collection.slug, action, doc)), { mode: 'with-change' })
    }
    const reads = state.pending
    state.pending = []
    await writeOrLog(req, config, reads)
    return result
  }

/** The statuses recorded as refusals (REST, GraphQL and the plugin's endpoints alike). */
export const deniedStatuses: ReadonlySet<number> = new Set([401, 403, 404])

/**
 * Records refusals Payload's REST routes report (401, 403, and 404 for what is not there or not
 * yours), the file route included. The original status is recorded (a 403 the client saw as 404).
 * GraphQL's refusals reach no collection hook: see `getAuditGraphQLDenialHook`.
 */
export const getAuditDenialHook =
  (config: SanitizedDermaImagesPluginConfig): CollectionAfterErrorHook =>
  async ({ collection, error, req }) => {
    const status = (error as { status?: number }).status
    if (status === undefined || !deniedStatuses.has(status)) {
      return
    }
    const { filename, id } = (req.routeParams ?? {}) as { filename?: unknown; id?: unknown }
    if (typeof filename === 'string' && collection.slug === config.slugs.consultationImages) {
      // The file route: the refusal names the image of that file, when there is one.
      await writeOrLog(req, config, [await refusedFileEvent(req, config, filename, status)])
      return
    }
    await writeOrLog(req, config, [
      {
        action: 'denied',
        channel: typeof filename === 'string' ? 'file' : channelOf(req),
        documentCollection: collection.slug,
        documentId: typeof id === 'string' ? id : undefined,
        status,
      },
    ])
  }
