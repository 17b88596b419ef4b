import type { Endpoint } from 'payload'

import type { FileStore } from '../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { getDownloadImagesEndpoint } from './downloadImages.js'
import { getConsultationFhirEndpoint, getImageFhirEndpoint } from './fhir.js'
import { getListImagesEndpoint } from './listImages.js'
import { getMethodNotAllowedEndpoints } from './methodNotAllowed.js'
import { getUploadImageEndpoint } from './uploadImage.js'

/** The endpoints under `/api/<consultations>/:id/images` and `/api/<consultations>/:id/fhir`. */
export const getConsultationEndpoints = (
  config: SanitizedDermaImagesPluginConfig,
  store: FileStore,
): Endpoint[] => [
  getListImagesEndpoint(config),
  getUploadImageEndpoint(config),
  getDownloadImagesEndpoint(config, store),
  ...getMethodNotAllowedEndpoints('/:id/images', ['get', 'post']),
  ...getMethodNotAllowedEndpoints('/:id/images/download', ['get']),
  getConsultationFhirEndpoint(config),
  ...getMethodNotAllowedEndpoints('/:id/fhir', ['get']),
]

/** The endpoints under `/api/<consultation-images>/:id/fhir`. */
export const getConsultationImageEndpoints = (config: SanitizedDermaImagesPluginConfig): Endpoint[] => [
  getImageFhirEndpoint(config),
  ...getMethodNotAllowedEndpoints('/:id/fhir', ['get']),
]
