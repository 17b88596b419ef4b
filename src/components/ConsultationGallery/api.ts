import type { AcquisitionType } from '../../vocabulary/acquisition.js'
import type { BodySite, Laterality } from '../../vocabulary/bodySites.js'
import type { ConsentScope } from '../../vocabulary/consent.js'
import type { ImageRole } from '../../vocabulary/lesions.js'

type Size = { height?: null | number; url?: null | string; width?: null | number }

/** An image as the plugin's list endpoint returns it (depth 0). */
export type GalleryImage = {
  acquisition?: AcquisitionType | null
  bodySite?: BodySite | null
  cameraModel?: null | string
  capturedAt?: null | string
  consentRecordedAt?: null | string
  /** The user's ID (depth 0). */
  consentRecordedBy?: null | number
  consentScopes?: ConsentScope[] | null
  createdAt: string
  description?: null | string
  filesize?: null | number
  height?: null | number
  id: number
  isPrimary?: boolean | null
  laterality?: Laterality | null
  lesion?: null | number
  mimeType?: null | string
  originalFilename?: null | string
  role?: ImageRole | null
  sizes?: { preview?: Size; thumbnail?: Size } | null
  url?: null | string
  width?: null | number
}

/** The clinical fields a user sets (the only ones the API accepts from a client). */
export type ClinicalFields = {
  acquisition?: AcquisitionType
  bodySite?: BodySite | null
  consentScopes?: ConsentScope[]
  description?: null | string
  isPrimary?: boolean
  laterality?: Laterality | null
  lesion?: null | number
  role?: ImageRole | null
}

export type ImagePage = { docs: GalleryImage[]; page: number; totalDocs: number; totalPages: number }

/** The message(s) of the plugin's and Payload's error contract, `{ errors: [{ message }] }`. */
export const errorMessage = (body: unknown, fallback: string): string => {
  const errors = (body as { errors?: { message?: string }[] } | null)?.errors
  const messages = errors?.flatMap((error) => (error.message ? [error.message] : [])) ?? []
  return messages.length > 0 ? messages.join(' ') : fallback
}

const requestJSON = async <T>(url: string, init?: RequestInit): Promise<T> => {
  const response = await fetch(url, { credentials: 'include', ...init })
  const body: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    throw new Error(errorMessage(body, `${response.status} ${response.statusText}`))
  }
  return body as T
}

/** Where the gallery talks to: the API root and the collections' slugs. */
export type GalleryApi = { api: string; consultations: string; images: string; lesions?: string }

export const listImages = (target: GalleryApi, consultation: number | string, page: number, limit: number) =>
  requestJSON<ImagePage>(`${target.api}/${target.consultations}/${consultation}/images?page=${page}&limit=${limit}`)

export const updateImage = (target: GalleryApi, id: number, data: ClinicalFields) =>
  requestJSON<{ doc: GalleryImage }>(`${target.api}/${target.images}/${id}`, {
    body: JSON.stringify(data),
    headers: { 'Content-Type': 'application/json' },
    method: 'PATCH',
  })

export const deleteImage = (target: GalleryApi, id: number) =>
  requestJSON<unknown>(`${target.api}/${target.images}/${id}`, { method: 'DELETE' })

export const zipURL = (target: GalleryApi, consultation: number | string) =>
  `${target.api}/${target.consultations}/${consultation}/images/download`

export type UploadHandle = { abort: () => void; done: Promise<GalleryImage> }

/**
 * A new `Idempotency-Key` for one photo: 128 random bits (from `getRandomValues`, which unlike
 * `randomUUID` also exists on a clinic's plain-HTTP intranet).
 */
export const newIdempotencyKey = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('')

/**
 * Uploads one photo to `POST /api/<consultations>/:id/images` with real progress events
 * (`fetch` has no upload progress; XMLHttpRequest does). Every attempt for the same photo sends
 * the same `idempotencyKey`, so a retry after a lost answer cannot store it twice (the server
 * answers 200 with the image it already stored). Rejects with the server's message; an aborted
 * upload rejects with an `AbortError`.
 */
export const uploadImage = (
  target: GalleryApi,
  consultation: number | string,
  file: File,
  metadata: ClinicalFields,
  idempotencyKey: string,
  onProgress: (fraction: number) => void,
): UploadHandle => {
  const request = new XMLHttpRequest()
  const done = new Promise<GalleryImage>((resolve, reject) => {
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) {
        onProgress(event.loaded / event.total)
      }
    })
    request.addEventListener('load', () => {
      const body: unknown = (() => {
        try {
          return JSON.parse(request.responseText) as unknown
        } catch {
          return null
        }
      })()
      if (request.status === 201 || request.status === 200) {
        resolve((body as { doc: GalleryImage }).doc)
      } else {
        reject(new Error(errorMessage(body, `${request.status} ${request.statusText}`)))
      }
    })
    request.addEventListener('error', () => { reject(new Error('Network error')); })
    request.addEventListener('abort', () => { reject(new DOMException('Upload cancelled', 'AbortError')); })
  })
  const body = new FormData()
  body.append('file', file)
  body.append('_payload', JSON.stringify(metadata))
  request.open('POST', `${target.api}/${target.consultations}/${consultation}/images`)
  request.setRequestHeader('Idempotency-Key', idempotencyKey)
  request.withCredentials = true
  request.send(body)
  return { abort: () => { request.abort(); }, done }
}
