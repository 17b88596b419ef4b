import type { CollectionConfig } from 'payload'

import path from 'node:path'

import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { getConsultationImagesAccess } from '../../access/consultationImages.js'
import { getConsultationImageEndpoints } from '../../endpoints/index.js'
import { getFileAudit } from '../../audit/fileAudit.js'
import { auditBeginWriteHook, getAuditDenialHook, getAuditOperationHook, getAuditReadHook } from '../../hooks/auditAccess.js'
import { getIngestUploadHook } from '../../hooks/ingestUpload.js'
import { getEnsureSinglePrimaryHook } from '../../hooks/ensureSinglePrimary.js'
import { getHideForeignDocumentsHook } from '../../hooks/hideForeignDocuments.js'
import { protectServerFields } from '../../hooks/protectServerFields.js'
import { getRecordConsentHook, noteConsentRecordHook } from '../../hooks/recordConsent.js'
import { getRefuseForbiddenUploadsHook } from '../../hooks/refuseForbiddenUploads.js'
import { getRecordIngestedSizesHook } from '../../hooks/recordIngestedSizes.js'
import { getRemoveStoredFilesHook } from '../../hooks/removeStoredFiles.js'
import { getSerializeImageUpdatesHook } from '../../hooks/serializeImageUpdates.js'
import { getStoreUploadedFilesHook } from '../../hooks/storeUploadedFiles.js'
import { getSyncAfterChangeHook, getSyncAfterDeleteHook } from '../../hooks/syncConsultationFlags.js'
import { getValidateLesionPatientHook } from '../../hooks/validateLesionPatient.js'
import type { FileStore } from '../../storage/fileStore.js'
import { getServeFileHandler, toUploadHandler } from '../../storage/serveFile.js'
import { getConsultationImageFields } from './fields.js'

export const getConsultationImagesCollection = (
  config: SanitizedDermaImagesPluginConfig,
  store: FileStore,
): CollectionConfig => {
  const serve = getServeFileHandler({
    collection: config.slugs.consultationImages,
    sizeNames: config.imageSizes.map((size) => size.name),
    audit: getFileAudit(config),
    store,
  })
  return {
    slug: config.slugs.consultationImages,
    access: getConsultationImagesAccess(config),
    admin: {
      // A table / thumbnail-grid switch above the list; an admin component, so not when disabled.
      components: config.disabled
        ? {}
        : {
            beforeListTable: [
              {
                clientProps: { collectionSlug: config.slugs.consultationImages },
                path: 'payload-derma-images/client#ImagesListGrid',
              },
            ],
          },
      defaultColumns: ['filename', 'consultation', 'acquisition', 'bodySite', 'isPrimary', 'capturedAt'],
      group: { en: 'Dermatology', fr: 'Dermatologie' },
      useAsTitle: 'originalFilename',
    },
    // Read back by maintenance tools (npm run reconcile) so they never guess the directory.
    custom: { dermaImages: { uploadsDir: config.uploadsDir } },
    defaultSort: '-createdAt',
    // The plugin's own surface (the FHIR export): left out when it is disabled.
    endpoints: config.disabled ? [] : getConsultationImageEndpoints(config, store),
    fields: getConsultationImageFields(config),
    hooks: {
      afterChange: [getSyncAfterChangeHook(config), noteConsentRecordHook],
      afterError: [getAuditDenialHook(config), getHideForeignDocumentsHook(config.slugs.consultationImages)],
      afterOperation: [getAuditOperationHook(config)],
      afterRead: [getAuditReadHook(config)],
      afterDelete: [getSyncAfterDeleteHook(config), getRemoveStoredFilesHook(store)],
      beforeChange: [
        protectServerFields,
        getRecordConsentHook(config),
        getRecordIngestedSizesHook(config),
        getValidateLesionPatientHook(config),
        getEnsureSinglePrimaryHook(config),
        getStoreUploadedFilesHook(store),
      ],
      beforeOperation: [
        auditBeginWriteHook,
        getRefuseForbiddenUploadsHook(config),
        getIngestUploadHook(config),
        getSerializeImageUpdatesHook(config),
      ],
    },
    // Payload's edit-lock check runs outside the request's transaction and needs a second pooled
    // connection per update: concurrent metadata edits (e.g. "set primary") exhausted the pool and
    // hung. Image metadata edits are short and the hooks serialise them per consultation instead.
    lockDocuments: false,
    labels: {
      plural: { en: 'Consultation images', fr: 'Images de consultation' },
      singular: { en: 'Consultation image', fr: 'Image de consultation' },
    },
    timestamps: true,
    upload: {
      adminThumbnail: 'thumbnail',
      crop: false,
      // Payload never touches the disk for this collection: the plugin writes files atomically,
      // removes them only after a delete commits, and serves them through `handlers` below.
      disableLocalStorage: true,
      displayPreview: true,
      focalPoint: false,
      handlers: [toUploadHandler(serve)],
      // Declares the `sizes` fields, the file route's derivatives and the admin's thumbnail. The
      // files themselves are made by ingest; the create/update operation's own copy of this
      // config has no imageSizes, so Payload does not make them again (see ingestUpload).
      imageSizes: config.imageSizes,
      mimeTypes: config.allowedMimeTypes,
      // Payload's own file clean-up looks here; nothing is ever stored in this directory.
      staticDir: path.join(config.uploadsDir, '.unused-by-payload'),
      withMetadata: false,
    },
  }
}
