export { buildOpenApiDocument } from './buildDocument.js'
export { docsContentSecurityPolicy, renderDocsPage, renderLoginPage } from './renderHtml.js'
export { docsPath, openApiJsonPath } from './routes.js'
export type { OpenApiDocument } from './types.js'
