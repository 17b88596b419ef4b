import type { PayloadRequest, Where } from 'payload'

import { getRole, getUserOf } from './roles.js'

/** The uses beyond care that an export serves; each needs its own consent scope on an image. */
export const exportPurposes = ['teaching', 'research'] as const

export type ExportPurpose = (typeof exportPurposes)[number]

/**
 * Admins and doctors may make a teaching or research export, over the images they may read;
 * patients and anonymous users may not (a patient's own records come as the consultation ZIP).
 */
export const mayExportForPurpose = (req: PayloadRequest, usersSlug: string): boolean => {
  const role = getRole(getUserOf(req, usersSlug))
  return role === 'admin' || role === 'doctor'
}

/**
 * The images whose consent names `purpose`: added to every query of a purpose export (and read
 * again for every page of it, so a consent withdrawn while the archive streams takes effect at once).
 */
export const consentAllows = (purpose: ExportPurpose): Where => ({ consentScopes: { in: [purpose] } })
