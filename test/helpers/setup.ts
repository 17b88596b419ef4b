import type { Clinic } from './clinic.js'
import type { TestContext } from './payload.js'
import type { RestClient } from './rest.js'

import { createClinic } from './clinic.js'
import { startPayload } from './payload.js'
import { createRestClient } from './rest.js'

export type ClinicContext = TestContext & { api: RestClient; clinic: Clinic }

/** The usual start of a test file: Payload on a fresh database, the test clinic and a REST client. */
export const startClinic = async (label: string): Promise<ClinicContext> => {
  const ctx = await startPayload(label)
  const clinic = await createClinic(ctx.payload)
  return { ...ctx, api: createRestClient(ctx.payload.config), clinic }
}

/** The multipart body of `POST /api/consultations/:id/images`: one photo and its metadata. */
export const photoForm = (bytes: Buffer, metadata: Record<string, unknown> = {}, name = 'photo.jpg'): FormData => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), name)
  form.append('_payload', JSON.stringify(metadata))
  return form
}
