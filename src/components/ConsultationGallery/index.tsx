import type { CollectionSlug, UIFieldServerProps } from 'payload'

import type { ShareLinksOptions } from '../ShareLinks/index.client.js'
import type { ImagePage } from './api.js'

import { galleryFirstPage } from '../../operations/consultationViewImages.js'
import { ConsultationGallery } from './index.client.js'
import { firstPageSize } from './pageSize.js'

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
 * waiting for the list request. The read is the one the sidebar summary makes in the same request.
 */
export const ConsultationGalleryServer = async ({ consultationsSlug, id, imagesSlug, lesionsSlug, maxFileSize, req, shareLinks }: Props) => {
  const initialPage = id === undefined ? undefined : await galleryFirstPage({ consultation: id, imagesSlug, req }, firstPageSize)
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
