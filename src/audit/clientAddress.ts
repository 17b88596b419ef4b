import { isIP } from 'node:net'

/**
 * The client's address, or `undefined` when it cannot be trusted. Next's route handlers expose
 * no socket address, so the only source is `X-Forwarded-For`, which any client can write: it is
 * read only with `trustedProxyHops` > 0, and then only the entry the outermost trusted proxy
 * appended (the `trustedProxyHops`-th from the right), never what the client put before it.
 */
export const clientAddressOf = (headers: Headers | undefined, trustedProxyHops: number): string | undefined => {
  if (trustedProxyHops === 0) {
    return undefined
  }
  const hops = (headers?.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  const candidate = hops[hops.length - trustedProxyHops]
  return candidate !== undefined && isIP(candidate) !== 0 ? candidate : undefined
}
