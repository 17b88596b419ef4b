import type { Endpoint, PayloadRequest } from 'payload'

import { Readable } from 'node:stream'

import type { FileStore } from '../storage/fileStore.js'
import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { ResolvedShare } from '../operations/shareGallery.js'

import { recordShareOpen, recordShareRefusal } from '../operations/shareAudit.js'
import { resolveShare } from '../operations/shareGallery.js'
import { shareApiPath, shareImageKey } from '../operations/shareToken.js'
import { toSharedGalleryView } from '../operations/shareView.js'
import { withoutQueryParams } from '../utilities/withoutQueryParams.js'

/** One message for every refusal: whether a token ever existed is nobody's business. */
export const shareNotFoundMessage = 'This link has expired, was revoked or does not exist.'

/** Nothing of a shared gallery is cached, sent on as a referrer, or indexed. */
export const shareHeaders = (): Headers =>
  new Headers({
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Robots-Tag': 'noindex, nofollow',
  })

const json = (body: unknown, status: number): Response => {
  const headers = shareHeaders()
  headers.set('Content-Type', 'application/json; charset=utf-8')
  return new Response(JSON.stringify(body), { headers, status })
}

const notFound = (): Response => json({ errors: [{ message: shareNotFoundMessage }] }, 404)

const extensions: Record<string, string> = { 'image/heic': 'heic', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }

type Params = { key?: unknown; token?: unknown; variant?: unknown }

const paramsOf = (req: PayloadRequest): { key: string; token: string; variant: string } => {
  const { key, token, variant } = (req.routeParams ?? {}) as Params
  return { key: typeof key === 'string' ? key : '', token: typeof token === 'string' ? token : '', variant: typeof variant === 'string' ? variant : '' }
}

/**
 * Every failure of a share route is answered without the token anywhere in the log: the error
 * only (its SQL parameters stripped), never the request's path.
 */
const guarded =
  (handler: (req: PayloadRequest) => Promise<Response>) =>
  async (req: PayloadRequest): Promise<Response> => {
    try {
      return await handler(req)
    } catch (err) {
      req.payload.logger.error({ err: withoutQueryParams(err), msg: 'payload-derma-images: share link request failed' })
      return json({ errors: [{ message: 'Something went wrong.' }] }, 500)
    }
  }

/** The stored file of one variant (`original` or an image size) of an image, or undefined. */
const storedVariant = (image: ResolvedShare['images'][number], variant: string) => {
  if (variant === 'original') {
    return image.filename && image.mimeType ? { filename: image.filename, mimeType: image.mimeType } : undefined
  }
  const size = image.sizes?.[variant]
  return size?.filename && size.mimeType ? { filename: size.filename, mimeType: size.mimeType } : undefined
}

/**
 * The public, no-account routes of a second-opinion link: `GET /api/share/:token` (the gallery as
 * JSON) and `GET /api/share/:token/images/:key/:variant` (thumbnail, preview or original). The
 * token is resolved by its hash and checked (not expired, not revoked, creator still entitled,
 * consent for second opinion) on every request, every opening is audited, and anything wrong is
 * a 404 with the same message.
 */
export const getShareEndpoints = (config: SanitizedDermaImagesPluginConfig, store: FileStore): Endpoint[] => {
  const variants = new Set(['original', ...config.imageSizes.map((size) => size.name)])
  return [
    {
      handler: guarded(async (req) => {
        const { token } = paramsOf(req)
        const share = await resolveShare(req, config, token)
        if (!share.ok) {
          await recordShareRefusal(req, config, share)
          return notFound()
        }
        if (!(await recordShareOpen(req, config, share, 'gallery'))) {
          return json({ errors: [{ message: 'The link cannot be opened right now.' }] }, 503)
        }
        return json(toSharedGalleryView(share, token, req.payload.config.routes.api), 200)
      }),
      method: 'get',
      path: `${shareApiPath}/:token`,
    },
    {
      handler: guarded(async (req) => {
        const { key, token, variant } = paramsOf(req)
        const share = await resolveShare(req, config, token)
        if (!share.ok) {
          await recordShareRefusal(req, config, share)
          return notFound()
        }
        const index = share.images.findIndex((image) => shareImageKey(share.link.tokenHash, image.id) === key)
        const image = share.images[index]
        const stored = image && variants.has(variant) ? storedVariant(image, variant) : undefined
        const stats = stored ? await store.stat(stored.filename) : undefined
        if (!image || !stored || !stats) {
          if (image && stored) {
            req.payload.logger.error({ id: image.id, msg: 'payload-derma-images: stored file is missing' })
          }
          await recordShareRefusal(req, config, share)
          return notFound()
        }
        if (!(await recordShareOpen(req, config, share, { image, variant }))) {
          return json({ errors: [{ message: 'The file cannot be served right now.' }] }, 503)
        }
        const headers = shareHeaders()
        // A neutral name: the stored one starts with the upload time, the client's may name the patient.
        headers.set('Content-Disposition', `inline; filename="second-opinion-${index + 1}-${variant}.${extensions[stored.mimeType] ?? 'bin'}"`)
        headers.set('Content-Length', String(stats.size))
        headers.set('Content-Type', stored.mimeType)
        return new Response(Readable.toWeb(store.openRead(stored.filename)) as ReadableStream, { headers, status: 200 })
      }),
      method: 'get',
      path: `${shareApiPath}/:token/images/:key/:variant`,
    },
    // Anything else under the share routes (another path, another method) gets the same 404:
    // Payload's own "Route not found" would echo the token back, without the share headers.
    ...(['delete', 'get', 'patch', 'post', 'put'] as const).map(
      (method): Endpoint => ({ handler: () => Promise.resolve(notFound()), method, path: `${shareApiPath}/:rest*` }),
    ),
  ]
}
