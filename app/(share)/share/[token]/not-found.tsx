import { ShareNotFoundRoute } from 'payload-derma-images/rsc'
import React from 'react'

const ShareNotFoundPage = () => <ShareNotFoundRoute />

export default ShareNotFoundPage
