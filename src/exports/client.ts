export { BodySiteCell } from '../components/BodySiteCell/index.client.js'
export { ConsultationGallery } from '../components/ConsultationGallery/index.client.js'
export { ImagesListGrid } from '../components/ImagesListGrid/index.client.js'
export { ShareLinksButton } from '../components/ShareLinks/index.client.js'
