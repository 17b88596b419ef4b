export { BodySiteCell } from '../components/BodySiteCell/index.client.js'
export { ConsultationGallery } from '../components/ConsultationGallery/index.client.js'
