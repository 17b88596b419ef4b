/** The plugin's root endpoints, under the app's API route (`/api`). */
export const openApiJsonPath = '/derma-images/openapi.json'
export const docsPath = '/derma-images/docs'
