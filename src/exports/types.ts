export type {
  DermaImagesPluginConfig,
  DermaImagesSlugs,
  DermaRole,
  SanitizedDermaImagesPluginConfig,
} from '../types.js'
export type { ClinicalExif } from '../image/readExif.js'
export type { AcquisitionType } from '../vocabulary/acquisition.js'
export type { BodySite, Laterality } from '../vocabulary/bodySites.js'
