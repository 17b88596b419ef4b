import type { PayloadRequest } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

/** Where the exported resources live, and the slugs their URLs are made of. */
export type FhirContext = {
  /** The app's API as an absolute URL, without a trailing slash (`https://clinic.example/api`). */
  apiURL: string
  slugs: SanitizedDermaImagesPluginConfig['slugs']
}

/**
 * The base of the exported resources' full URLs (`<api>/derma-images/fhir/Media/12`), so that the
 * relative references between them (`Encounter/4`) resolve inside a Bundle, as FHIR's reference
 * rules say. It names resources; it is not a FHIR REST server (the plugin serves only its two
 * export routes).
 */
export const fhirBase = ({ apiURL }: FhirContext): string => `${apiURL}/derma-images/fhir`

/**
 * The export's context for a request: the app's `serverURL` when it is set (it should be, so that
 * identifier systems and URLs do not depend on how a client reached the server), else the
 * request's own origin.
 */
export const fhirContextOf = (req: PayloadRequest, { slugs }: SanitizedDermaImagesPluginConfig): FhirContext => {
  const { routes, serverURL } = req.payload.config
  // Payload's `serverURL` defaults to '' (not undefined), so `||` on purpose.
  const origin = serverURL || req.origin
  return { apiURL: `${origin.replace(/\/+$/, '')}${routes.api}`, slugs }
}

/** A literal, relative reference (`Patient/3`) with its type; never a display (no names). */
export const referenceTo = <T extends 'Encounter' | 'Patient' | 'Practitioner'>(type: T, id: string) => ({
  reference: `${type}/${id}`,
  type,
})
