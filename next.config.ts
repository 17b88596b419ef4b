import type { NextConfig } from 'next'

import { withPayload } from '@payloadcms/next/withPayload'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const dirname = path.dirname(fileURLToPath(import.meta.url))

const nextConfig: NextConfig = {
  // The browser tests build into their own directory (test/e2e/helpers/app.ts).
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // The share pages' URL holds a link's token: never cached, sent on as a referrer or indexed.
  headers: () =>
    Promise.resolve([
      {
        headers: [
          { key: 'Cache-Control', value: 'no-store' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'X-Robots-Tag', value: 'noindex, nofollow' },
        ],
        source: '/share/:path*',
      },
    ]),
  poweredByHeader: false,
  turbopack: { root: path.resolve(dirname) },
  webpack: (webpackConfig: { resolve: { extensionAlias?: Record<string, string[]> } }) => {
    webpackConfig.resolve.extensionAlias = {
      '.cjs': ['.cts', '.cjs'],
      '.js': ['.ts', '.tsx', '.js', '.jsx'],
      '.mjs': ['.mts', '.mjs'],
    }
    return webpackConfig
  },
}

const withPayloadConfig = withPayload(nextConfig, { devBundleServerPackages: false })

/**
 * Payload's rule for every path (appended last by withPayload) asks for `Sec-CH-Prefers-Color-Scheme`
 * as a *critical* client hint (`Accept-CH` + `Critical-CH`), which its admin themes by. A Chromium
 * that has not yet seen the origin, like a second-opinion recipient opening a link, then sends the
 * navigation twice: it discards the first answer and retries with the hint. Both reach the server,
 * so the share page was rendered, and its opening audited, twice. The share pages theme with CSS
 * (`prefers-color-scheme`) and need no hint, so Payload's rule leaves them out.
 */
const payloadHeaders = withPayloadConfig.headers
const exceptSharePages = '/:path((?!share/).*)'

export default {
  ...withPayloadConfig,
  headers: async () =>
    (payloadHeaders ? await payloadHeaders() : []).map((rule) =>
      rule.source === '/:path*' && rule.headers.some((header) => header.key === 'Critical-CH') ? { ...rule, source: exceptSharePages } : rule,
    ),
} satisfies NextConfig
