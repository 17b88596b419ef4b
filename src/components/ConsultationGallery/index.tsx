import type { CollectionSlug, UIFieldServerProps } from 'payload'

import type { ShareLinksOptions } from '../ShareLinks/index.client.js'
import type { ImagePage } from './api.js'

import { ConsultationGallery } from './index.client.js'
import { firstPageSize } from './useGalleryImages.js'

type Props = {
  consultationsSlug: string
  imagesSlug: CollectionSlug
  lesionsSlug?: string
  maxFileSize: number
  shareLinks?: ShareLinksOptions
} & UIFieldServerProps

/**
 * Renders the gallery with its first page of images already read on the server (with the viewer's
 * own access), so opening the Images tab starts loading thumbnails at once instead of first
 * waiting for the list request.
 */
export const ConsultationGalleryServer = async ({ consultationsSlug, id, imagesSlug, lesionsSlug, maxFileSize, req, shareLinks }: Props) => {
  const initialPage =
    id === undefined
      ? undefined
      : await req.payload.find({
          collection: imagesSlug,
          depth: 0,
          limit: firstPageSize,
          overrideAccess: false,
          page: 1,
          req,
          sort: ['-isPrimary', '-createdAt'],
          where: { consultation: { equals: id } },
        })
  return (
    <ConsultationGallery
      consultationsSlug={consultationsSlug}
      imagesSlug={imagesSlug}
      // The same documents the list endpoint returns (depth 0), plain JSON for the client.
      initialPage={initialPage && (JSON.parse(JSON.stringify(initialPage)) as ImagePage)}
      lesionsSlug={lesionsSlug}
      maxFileSize={maxFileSize}
      shareLinks={shareLinks}
    />
  )
}
