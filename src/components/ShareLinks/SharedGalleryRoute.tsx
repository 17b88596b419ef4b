import type { SanitizedConfig } from 'payload'

import { headers as nextHeaders } from 'next/headers'
import { notFound } from 'next/navigation'
import { createLocalReq, getPayload } from 'payload'
import React from 'react'

import type { ShareLinksCustom } from '../../collections/ShareLinks/index.js'
import type { SanitizedDermaImagesPluginConfig } from '../../types.js'

import { recordShareOpen, recordShareRefusal } from '../../operations/shareAudit.js'
import { resolveShare } from '../../operations/shareGallery.js'
import { toSharedGalleryView } from '../../operations/shareView.js'
import { shareLanguageOf } from './language.js'
import { SharedGallery, ShareNotFound } from './SharedGallery.js'

type Props = { config: Promise<SanitizedConfig> | SanitizedConfig; params: Promise<{ token: string }> }

/** The plugin's resolved options, kept on its share-links collection (server-only `custom`). */
const pluginConfigOf = (config: SanitizedConfig): SanitizedDermaImagesPluginConfig => {
  const found = config.collections.find((collection) => (collection.custom as Partial<ShareLinksCustom> | undefined)?.dermaImages?.shareLinks)
  if (!found) {
    throw new Error('payload-derma-images: the share page needs the plugin (enabled) in this config')
  }
  return (found.custom as ShareLinksCustom).dermaImages.shareLinks()
}

/**
 * The page at `/share/<token>`: resolved and audited on the server through the plugin's own
 * operation (no HTTP round-trip), exactly like `GET /api/share/:token`; anything wrong throws
 * Next's `notFound()` (a 404 with the segment's not-found page) after the refusal is recorded.
 */
export const SharedGalleryRoute = async ({ config, params }: Props) => {
  const [{ token }, headers, payload] = await Promise.all([params, nextHeaders(), getPayload({ config })])
  const pluginConfig = pluginConfigOf(payload.config)
  const req = await createLocalReq({ req: { headers: new Headers(headers) } }, payload)
  const share = await resolveShare(req, pluginConfig, token)
  if (!share.ok) {
    await recordShareRefusal(req, pluginConfig, share)
    notFound()
  }
  if (!(await recordShareOpen(req, pluginConfig, share, 'gallery'))) {
    // Fail closed, like the API: no trace, no images.
    throw new Error('payload-derma-images: the share page cannot be shown right now')
  }
  return <SharedGallery language={shareLanguageOf(headers.get('accept-language'))} view={toSharedGalleryView(share, token, payload.config.routes.api)} />
}

/** The segment's not-found page, in the recipient's language. */
export const ShareNotFoundRoute = async () => {
  const headers = await nextHeaders()
  return <ShareNotFound language={shareLanguageOf(headers.get('accept-language'))} />
}
