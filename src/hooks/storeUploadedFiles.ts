import type { CollectionBeforeChangeHook } from 'payload'

import type { FileStore } from '../storage/fileStore.js'
import type { ConsultationImageDoc } from '../types.js'

import { afterTransaction } from '../db/transactionCallbacks.js'
import { getIncomingFiles, storedFilenamesOf } from '../storage/storedFiles.js'

/**
 * Writes an incoming upload's original and derivatives before its row is saved. If the
 * transaction then rolls back they are removed; when a file replaces another, the old files are
 * removed only once the new row has committed.
 */
export const getStoreUploadedFilesHook =
  (store: FileStore): CollectionBeforeChangeHook<ConsultationImageDoc> =>
  async ({ data, operation, originalDoc, req }) => {
    const incoming = getIncomingFiles(req, data)
    if (incoming.length === 0) {
      return data
    }
    await store.writeAll(incoming)
    const written = incoming.map((file) => file.filename)
    const replaced =
      operation === 'update'
        ? storedFilenamesOf(originalDoc).filter((name) => !written.includes(name))
        : []
    await afterTransaction(req, {
      onCommit: replaced.length > 0 ? () => store.removeAll(replaced) : undefined,
      onRollback: () => store.removeAll(written),
    })
    return data
  }
