export { ConsultationImagesSummary } from '../components/ConsultationImagesSummary/index.js'
