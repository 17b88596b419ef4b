import config from '@payload-config'
import { SharedGalleryRoute } from 'payload-derma-images/rsc'
import React from 'react'

// Resolved on every request: a revoked link, an expired one or withdrawn consent takes effect at once.
export const dynamic = 'force-dynamic'

type Args = { params: Promise<{ token: string }> }

const SharePage = ({ params }: Args) => <SharedGalleryRoute config={config} params={params} />

export default SharePage
