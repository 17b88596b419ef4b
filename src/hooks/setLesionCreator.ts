import type { CollectionBeforeChangeHook } from 'payload'

import { getRole, toID } from '../access/roles.js'

/**
 * `createdBy` (who may delete a lesion) is the server's: on create the signed-in user, except
 * that an admin may record the doctor it is for; on update it never changes.
 */
export const setLesionCreator: CollectionBeforeChangeHook = ({ data, operation, originalDoc, req }) => {
  if (operation === 'update') {
    return { ...data, createdBy: toID((originalDoc as { createdBy?: unknown } | undefined)?.createdBy) ?? null }
  }
  const requested = toID((data as { createdBy?: unknown }).createdBy)
  const createdBy = getRole(req.user) === 'admin' && requested !== undefined ? requested : (req.user?.id ?? null)
  return { ...data, createdBy }
}
