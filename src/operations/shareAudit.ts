import type { PayloadRequest } from 'payload'

import type { SanitizedDermaImagesPluginConfig } from '../types.js'
import type { ResolvedShare, ShareResolution, SharedImageDoc } from './shareGallery.js'

import { writeOrLog } from '../hooks/auditAccess.js'
import { idOf, writeAuditEvents } from '../audit/writeEvents.js'
import { withoutQueryParams } from '../utilities/withoutQueryParams.js'
import { ownersOfLink } from './shareGallery.js'

/**
 * Records one opening of a link (its gallery, `variant: 'gallery'`, or one file,
 * `variant: '<size>:<image ID>'`) before anything is sent: fail closed, a disclosure outside the
 * clinic that nobody can trace is not made. `false` when the event could not be written.
 */
export const recordShareOpen = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  share: ResolvedShare,
  opened: { image: SharedImageDoc; variant: string } | 'gallery',
): Promise<boolean> => {
  try {
    const event = {
      action: 'share-open',
      channel: 'share',
      consultation: opened === 'gallery' ? share.consultation?.id : idOf(opened.image.consultation),
      documentCollection: config.slugs.shareLinks,
      documentId: idOf(share.link.id),
      patient: share.patient.id,
      status: 200,
      variant: opened === 'gallery' ? 'gallery' : `${opened.variant}:${String(opened.image.id)}`,
    } as const
    await writeAuditEvents(req, config, [event], { mode: 'apart' })
    return true
  } catch (err) {
    req.payload.logger.error({ err: withoutQueryParams(err), msg: 'payload-derma-images: share link not served, its audit event could not be written' })
    return false
  }
}

/**
 * Records a 404 of a share route (log and continue): `variant` says why (`unknown`, `expired`,
 * `revoked`, `withdrawn`, or `image` for a file the link does not show). An unknown token has no
 * link, consultation or patient to name.
 */
export const recordShareRefusal = async (
  req: PayloadRequest,
  config: SanitizedDermaImagesPluginConfig,
  resolution: ShareResolution,
): Promise<void> => {
  const link = resolution.link
  let owners: { consultation?: string; patient?: string } = {}
  try {
    owners = link ? (resolution.ok ? { consultation: resolution.consultation?.id, patient: resolution.patient.id } : await ownersOfLink(req, config, link)) : {}
  } catch (err) {
    req.payload.logger.error({ err: withoutQueryParams(err), msg: 'payload-derma-images: owner of a refused share link could not be read' })
  }
  await writeOrLog(req, config, [
    {
      action: 'denied',
      channel: 'share',
      documentCollection: config.slugs.shareLinks,
      ...(link ? { documentId: idOf(link.id) } : {}),
      ...owners,
      status: 404,
      variant: resolution.ok ? 'image' : resolution.reason,
    },
  ])
}
