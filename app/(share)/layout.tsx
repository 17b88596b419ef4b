import type { Metadata, Viewport } from 'next'

import { headers } from 'next/headers'
import React from 'react'
import 'yet-another-react-lightbox/styles.css'
import 'yet-another-react-lightbox/plugins/captions.css'
import 'yet-another-react-lightbox/plugins/counter.css'

import { shareLanguageOf } from 'payload-derma-images/rsc'
import './share.css'

/** Never indexed, never sent on as a referrer (the URL holds the link's token). */
export const metadata: Metadata = {
  referrer: 'no-referrer',
  robots: { follow: false, index: false, nocache: true },
  title: 'Second opinion — Derma Images',
}

export const viewport: Viewport = { colorScheme: 'light dark', width: 'device-width' }

/** The root layout of the public share pages: no admin, no Payload client, just the gallery. */
const ShareLayout = async ({ children }: { children: React.ReactNode }) => {
  const language = shareLanguageOf((await headers()).get('accept-language'))
  return (
    <html lang={language}>
      <body>{children}</body>
    </html>
  )
}

export default ShareLayout
