import type { CollectionAfterErrorHook, CollectionSlug } from 'payload'

const notFound = { response: { errors: [{ message: 'Not Found' }] }, status: 404 }
const unauthorized = { response: { errors: [{ message: 'You must be logged in.' }] }, status: 401 }

/**
 * Shapes Payload's 403s on the plugin's collections into the error contract: anonymous requests
 * get 401; a document (or file) that exists but is not the user's answers 404 exactly like one
 * that does not exist, so IDs and file names reveal nothing. A document the user may see but not
 * change (a patient's own) keeps its 403.
 */
export const getHideForeignDocumentsHook =
  (slug: CollectionSlug): CollectionAfterErrorHook =>
  async ({ error, req }) => {
    if ((error as { status?: number }).status !== 403) {
      return
    }
    if (!req.user) {
      return unauthorized
    }
    const { filename, id } = (req.routeParams ?? {}) as { filename?: string; id?: string }
    if (typeof filename === 'string') {
      return notFound
    }
    if (typeof id !== 'string') {
      return
    }
    const { totalDocs } = await req.payload.count({
      collection: slug,
      overrideAccess: false,
      req,
      where: { id: { equals: id } },
    })
    return totalDocs === 0 ? notFound : undefined
  }
