import type { CollectionAfterDeleteHook } from 'payload'

import type { FileStore } from '../storage/fileStore.js'
import type { ConsultationImageDoc } from '../types.js'

import { afterTransaction } from '../db/transactionCallbacks.js'
import { storedFilenamesOf } from '../storage/storedFiles.js'

/**
 * Removes a deleted image's files once the delete has committed: if the transaction rolls back,
 * the row and its files are both still there and the image keeps being served.
 */
export const getRemoveStoredFilesHook =
  (store: FileStore): CollectionAfterDeleteHook<ConsultationImageDoc> =>
  async ({ doc, req }) => {
    const filenames = storedFilenamesOf(doc)
    if (filenames.length > 0) {
      await afterTransaction(req, { onCommit: () => store.removeAll(filenames) })
    }
    return doc
  }
