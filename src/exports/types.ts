export type {
  DermaImagesPluginConfig,
  DermaImagesSlugs,
  DermaRole,
  SanitizedDermaImagesPluginConfig,
} from '../types.js'
export type { ClinicalExif } from '../image/readExif.js'
