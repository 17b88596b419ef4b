import type { PayloadRequest } from 'payload'

import type { DermaRole } from '../types.js'

export const dermaRoles = ['admin', 'doctor', 'patient'] as const satisfies readonly DermaRole[]

type MaybeUser = PayloadRequest['user'] | undefined

/** The user's role as saved in the JWT; `undefined` for anonymous users or unknown roles. */
export const getRole = (user: MaybeUser): DermaRole | undefined => {
  const role = (user as { role?: unknown } | null | undefined)?.role
  return dermaRoles.find((known) => known === role)
}

/** An authenticated user of the auth collection the plugin was configured with. */
export const getUserOf = (
  req: PayloadRequest,
  usersSlug: string,
): (NonNullable<PayloadRequest['user']> & { role?: DermaRole }) | undefined =>
  req.user && req.user.collection === usersSlug ? req.user : undefined

/** Extracts an ID from a relationship value that may be an ID or a populated document. */
export const toID = (value: unknown): number | string | undefined => {
  if (typeof value === 'number' || typeof value === 'string') {
    return value === '' ? undefined : value
  }
  if (value && typeof value === 'object' && 'id' in value) {
    return toID((value).id)
  }
  return undefined
}

export const sameID = (a: unknown, b: unknown): boolean => {
  const left = toID(a)
  const right = toID(b)
  return left !== undefined && right !== undefined && String(left) === String(right)
}
