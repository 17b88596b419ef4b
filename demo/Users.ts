import type { Access, CollectionConfig, Where } from 'payload'

type RoleUser = { id: number | string; role?: string } | null | undefined

const roleOf = (user: unknown): string | undefined => (user as RoleUser)?.role

const isAdmin: Access = ({ req }) => roleOf(req.user) === 'admin'

/** Admins see everyone; a doctor sees themself, other doctors and patients; a patient only themself. */
const readUsers: Access = ({ req }) => {
  const role = roleOf(req.user)
  if (role === 'admin') {
    return true
  }
  if (role === 'doctor') {
    const visible: Where = { or: [{ id: { equals: req.user?.id } }, { role: { in: ['doctor', 'patient'] } }] }
    return visible
  }
  return req.user ? { id: { equals: req.user.id } } : false
}

/** The demo clinic's accounts. Roles are added by the plugin (admin-only, saved to the JWT). */
export const Users: CollectionConfig = {
  slug: 'users',
  access: {
    admin: ({ req }) => Boolean(roleOf(req.user)),
    create: isAdmin,
    delete: isAdmin,
    read: readUsers,
    readVersions: isAdmin,
    unlock: isAdmin,
    update: ({ req }) =>
      roleOf(req.user) === 'admin' ? true : req.user ? { id: { equals: req.user.id } } : false,
  },
  admin: { defaultColumns: ['name', 'email', 'role'], useAsTitle: 'name' },
  auth: { lockTime: 10 * 60 * 1000, maxLoginAttempts: 5, tokenExpiration: 2 * 60 * 60 },
  fields: [{ name: 'name', type: 'text', maxLength: 200, required: true }],
}
