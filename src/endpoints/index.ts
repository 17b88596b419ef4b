import type { Endpoint } from 'payload'

import type { FileStore } from '../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { withAuditedDenials } from '../audit/endpointAudit.js'
import { getDownloadImagesEndpoint } from './downloadImages.js'
import { getExportImagesEndpoint } from './exportImages.js'
import { getConsultationFhirEndpoint, getFhirMethodNotAllowedEndpoints, getImageFhirEndpoint } from './fhir.js'
import { getGuardCreateEndpoint } from './guardCreate.js'
import { getListImagesEndpoint } from './listImages.js'
import { getMethodNotAllowedEndpoints } from './methodNotAllowed.js'
export { getShareEndpoints } from './share.js'
import { getUploadImageEndpoint } from './uploadImage.js'

/** The endpoints under `/api/<consultations>/:id/images` and `/api/<consultations>/:id/fhir`. */
export const getConsultationEndpoints = (
  config: SanitizedDermaImagesPluginConfig,
  store: FileStore,
): Endpoint[] => {
  const audited = (channel: 'fhir' | 'rest' | 'zip') => withAuditedDenials(config, config.slugs.consultations, channel)
  return [
    audited('rest')(getListImagesEndpoint(config)),
    audited('rest')(getUploadImageEndpoint(config)),
    audited('zip')(getDownloadImagesEndpoint(config, store)),
    ...getMethodNotAllowedEndpoints('/:id/images', ['get', 'post']),
    ...getMethodNotAllowedEndpoints('/:id/images/download', ['get']),
    audited('fhir')(getConsultationFhirEndpoint(config)),
    ...getFhirMethodNotAllowedEndpoints(),
  ]
}

/**
 * The guard in front of Payload's `POST /api/<consultation-images>`, `/api/<consultation-images>/:id/fhir`
 * and the teaching and research export `/api/<consultation-images>/export.zip`.
 */
export const getConsultationImageEndpoints = (config: SanitizedDermaImagesPluginConfig, store: FileStore): Endpoint[] => [
  getGuardCreateEndpoint(config),
  withAuditedDenials(config, config.slugs.consultationImages, 'zip')(getExportImagesEndpoint(config, store)),
  ...getMethodNotAllowedEndpoints('/export.zip', ['get']),
  withAuditedDenials(config, config.slugs.consultationImages, 'fhir')(getImageFhirEndpoint(config)),
  ...getFhirMethodNotAllowedEndpoints(),
]
