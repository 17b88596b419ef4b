import type { Config } from 'payload'

import { deepMergeSimple } from 'payload/shared'

import type { DermaImagesPluginConfig } from './types.js'

import { getAuditGraphQLDenialHook } from './audit/graphqlDenials.js'
import { getPurgeBinEntry } from './audit/retention.js'
import { getAuditEventsCollection } from './collections/AuditEvents/index.js'
import { getConsultationImagesCollection } from './collections/ConsultationImages/index.js'
import { getConsultationsCollection } from './collections/Consultations/index.js'
import { getLesionsCollection } from './collections/Lesions/index.js'
import { getShareLinksCollection } from './collections/ShareLinks/index.js'
import { logPoolErrors } from './db/poolErrors.js'
import { addImageIndexes } from './db/postgres.js'
import { scrubQueryErrors } from './db/queryErrors.js'
import { boundShutdown } from './db/shutdown.js'
import { withTransactionCallbacks } from './db/transactionCallbacks.js'
import { getShareEndpoints } from './endpoints/index.js'
import { getOpenApiEndpoints } from './endpoints/openapi.js'
import { withRoleField } from './plugin/withRoleField.js'
import { slotLocalApiUploads } from './operations/uploadSlots.js'
import { createFileStore } from './storage/fileStore.js'
import { sanitizePluginConfig } from './sanitizePluginConfig.js'
import { translations } from './translations/index.js'
import { refusedRequestName } from './utilities/refusedRequest.js'

/**
 * Adds dermatology consultations and their private photos to a Payload 3 app: two collections,
 * their access rules, the hooks that keep files and flags consistent, and (unless `disabled`)
 * the plugin's endpoints and admin components.
 */
export const dermaImagesPlugin =
  (options: DermaImagesPluginConfig = {}) =>
  (incomingConfig: Config): Config => {
    const config = sanitizePluginConfig(options)
    const { slugs } = config
    const collections = incomingConfig.collections ?? []
    const users = withRoleField(
      collections.find((collection) => collection.slug === slugs.users),
      slugs.users,
    )
    const db = withTransactionCallbacks(incomingConfig.db)
    const store = createFileStore(config.uploadsDir)
    return {
      ...incomingConfig,
      bin: [...(incomingConfig.bin ?? []), ...getPurgeBinEntry()],
      collections: [
        ...collections.map((collection) => (collection.slug === slugs.users ? users : collection)),
        getConsultationsCollection(config, store),
        getConsultationImagesCollection(config, store),
        getLesionsCollection(config),
        getAuditEventsCollection(config),
        getShareLinksCollection(config),
      ],
      i18n: {
        ...incomingConfig.i18n,
        translations: deepMergeSimple(translations, incomingConfig.i18n?.translations ?? {}),
      },
      endpoints: [
        ...(incomingConfig.endpoints ?? []),
        ...(config.disabled ? [] : [...getOpenApiEndpoints(config), ...getShareEndpoints(config, store)]),
      ],
      // Client refusals (pixel floods, oversize and anonymous posts) are not server errors.
      loggingLevels: { [refusedRequestName]: 'info', ...incomingConfig.loggingLevels } as Config['loggingLevels'],
      // GraphQL's refusals reach only the config's afterError (kept when disabled: GraphQL stays).
      hooks: { ...incomingConfig.hooks, afterError: [...(incomingConfig.hooks?.afterError ?? []), getAuditGraphQLDenialHook(config)] },
      onInit: async (payload) => {
        slotLocalApiUploads(payload, config)
        await incomingConfig.onInit?.(payload)
        if (!config.disabled && config.shutdownTimeoutMs > 0) {
          boundShutdown(payload, config.shutdownTimeoutMs)
        }
      },
      db: {
        ...db,
        init: (args) => {
          const adapter = db.init(args)
          addImageIndexes(adapter, slugs.consultationImages)
          logPoolErrors(adapter)
          scrubQueryErrors(adapter)
          return adapter
        },
      },
    }
  }

export { getAppendOnlySQL } from './audit/appendOnly.js'
export { purgeExpiredAuditEvents } from './audit/retention.js'
export { sanitizePluginConfig } from './sanitizePluginConfig.js'
export type {
  DermaImagesPluginConfig,
  DermaImagesShareLinksConfig,
  DermaImagesSlugs,
  DermaRole,
  SanitizedDermaImagesPluginConfig,
} from './types.js'
