import type { CollectionSlug, PaginatedDocs, PayloadRequest } from 'payload'

/** The most images the edit view reads on the server: the sidebar summary's tally counts these. */
export const viewImagesLimit = 500

/** The gallery's order: the primary first, then the newest. */
export const galleryOrder = ['-isPrimary', '-createdAt']

type Args = { consultation: number | string; imagesSlug: CollectionSlug; req: PayloadRequest }

/** One read per request and consultation, shared by the components of the same edit view. */
const readsPerRequest = new WeakMap<PayloadRequest, Map<string, Promise<PaginatedDocs<Record<string, unknown>>>>>()

/**
 * A consultation's images (depth 0, in the gallery's order, at most `viewImagesLimit`) as the
 * requesting user may read them, read once per request: the edit view's sidebar summary and the
 * gallery's server-rendered first page render in the same request with the same user, so they
 * share this one query (and its count) instead of each running their own. Keyed on the request
 * object, so the next request, with its own user and access, reads again.
 */
export const readConsultationViewImages = ({ consultation, imagesSlug, req }: Args): Promise<PaginatedDocs<Record<string, unknown>>> => {
  const reads = readsPerRequest.get(req) ?? new Map<string, Promise<PaginatedDocs<Record<string, unknown>>>>()
  readsPerRequest.set(req, reads)
  const key = `${imagesSlug}:${String(consultation)}:${String(req.user?.id)}`
  const cached = reads.get(key)
  if (cached) {
    return cached
  }
  const read = req.payload.find({
    collection: imagesSlug,
    depth: 0,
    limit: viewImagesLimit,
    overrideAccess: false,
    page: 1,
    req,
    sort: galleryOrder,
    where: { consultation: { equals: consultation } },
  }) as unknown as Promise<PaginatedDocs<Record<string, unknown>>>
  reads.set(key, read)
  read.catch(() => reads.delete(key))
  return read
}

/** The gallery's first page (`pageSize` images) out of the shared read, as the list endpoint pages it. */
export const galleryFirstPage = async (args: Args, pageSize: number) => {
  const { docs, totalDocs } = await readConsultationViewImages(args)
  return { docs: docs.slice(0, pageSize), page: 1, totalDocs, totalPages: Math.max(1, Math.ceil(totalDocs / pageSize)) }
}

/** What the sidebar summary tallies: each image's kind and capture date, and how many there are. */
export type ImagesTally = { images: { acquisition: null | string; capturedAt: null | string }[]; totalDocs: number }

export const imagesTally = async (args: Args): Promise<ImagesTally> => {
  const { docs, totalDocs } = await readConsultationViewImages(args)
  return {
    images: docs.map((doc) => ({
      acquisition: typeof doc.acquisition === 'string' ? doc.acquisition : null,
      capturedAt: typeof doc.capturedAt === 'string' ? doc.capturedAt : null,
    })),
    totalDocs,
  }
}
