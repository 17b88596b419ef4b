import type { Endpoint } from 'payload'

import { UnauthorizedError } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'

import { findReadableConsultation } from '../operations/findConsultation.js'
import { withErrorContract } from './errorContract.js'
import { consultationParams, imageListQuery } from './schemas.js'

/**
 * `GET /api/<consultations>/:id/images?page=&limit=`: the consultation's images, primary first,
 * then newest, paginated like Payload's own lists, for whoever may see the consultation.
 */
export const getListImagesEndpoint = (config: SanitizedDermaImagesPluginConfig): Endpoint => ({
  handler: withErrorContract(async (req) => {
    if (!req.user) {
      throw new UnauthorizedError(req.t)
    }
    const { id } = consultationParams.parse(req.routeParams)
    const { limit, page } = imageListQuery.parse(Object.fromEntries(req.searchParams))
    await findReadableConsultation(req, config, id)
    const result = await req.payload.find({
      collection: config.slugs.consultationImages,
      depth: 0,
      limit,
      overrideAccess: false,
      page,
      req,
      sort: ['-isPrimary', '-createdAt'],
      where: { consultation: { equals: id } },
    })
    return Response.json(result, { headers: { 'Cache-Control': 'private, no-store' } })
  }),
  method: 'get',
  path: '/:id/images',
})
