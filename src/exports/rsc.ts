export { ConsultationGalleryServer } from '../components/ConsultationGallery/index.js'
export { ConsultationImagesSummary } from '../components/ConsultationImagesSummary/index.js'
export { LesionTimelineServer } from '../components/LesionTimeline/index.js'
