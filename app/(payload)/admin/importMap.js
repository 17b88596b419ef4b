import { ConsultationImagesSummary as ConsultationImagesSummary_1e11f89b500bd97260d93ffbd519471c } from 'payload-derma-images/rsc'
import { ConsultationGalleryServer as ConsultationGalleryServer_1e11f89b500bd97260d93ffbd519471c } from 'payload-derma-images/rsc'
import { BodySiteCell as BodySiteCell_dde4e6d829d44213f0b61fe90b34fc46 } from 'payload-derma-images/client'
import { ImagesListGrid as ImagesListGrid_dde4e6d829d44213f0b61fe90b34fc46 } from 'payload-derma-images/client'
import { LesionTimelineServer as LesionTimelineServer_1e11f89b500bd97260d93ffbd519471c } from 'payload-derma-images/rsc'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "payload-derma-images/rsc#ConsultationImagesSummary": ConsultationImagesSummary_1e11f89b500bd97260d93ffbd519471c,
  "payload-derma-images/rsc#ConsultationGalleryServer": ConsultationGalleryServer_1e11f89b500bd97260d93ffbd519471c,
  "payload-derma-images/client#BodySiteCell": BodySiteCell_dde4e6d829d44213f0b61fe90b34fc46,
  "payload-derma-images/client#ImagesListGrid": ImagesListGrid_dde4e6d829d44213f0b61fe90b34fc46,
  "payload-derma-images/rsc#LesionTimelineServer": LesionTimelineServer_1e11f89b500bd97260d93ffbd519471c,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
