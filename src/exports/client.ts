export { BodySiteCell } from '../components/BodySiteCell/index.client.js'
