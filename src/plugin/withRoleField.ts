import type { CollectionConfig, Field } from 'payload'

import { dermaRoles, getRole } from '../access/roles.js'

const roleLabels = {
  admin: { en: 'Clinic admin', fr: 'Administrateur' },
  doctor: { en: 'Doctor', fr: 'Médecin' },
  patient: { en: 'Patient', fr: 'Patient' },
} as const

const onlyAdmins = ({ req }: { req: { user?: unknown } }) =>
  getRole(req.user as Parameters<typeof getRole>[0]) === 'admin'

/** The `role` field the plugin adds when the host's users lack one. Only admins grant roles. */
export const roleField: Field = {
  name: 'role',
  type: 'select',
  access: { create: onlyAdmins, update: onlyAdmins },
  admin: { position: 'sidebar' },
  defaultValue: 'patient',
  index: true,
  label: { en: 'Role', fr: 'Rôle' },
  options: dermaRoles.map((value) => ({ label: roleLabels[value], value })),
  required: true,
  saveToJWT: true,
}

const isRoleField = (field: Field): boolean => 'name' in field && field.name === 'role'

/**
 * Returns the users collection with a `role` saved to the JWT: the host's own `role` field (made
 * `saveToJWT`) or the plugin's. Fails loudly when the collection is missing or not an auth one.
 */
export const withRoleField = (users: CollectionConfig | undefined, slug: string): CollectionConfig => {
  if (!users?.auth) {
    throw new Error(
      `payload-derma-images: the users collection "${slug}" must exist and have auth enabled.`,
    )
  }
  const hasRole = users.fields.some(isRoleField)
  return {
    ...users,
    fields: hasRole
      ? users.fields.map((field) => (isRoleField(field) ? ({ ...field, saveToJWT: true } as Field) : field))
      : [...users.fields, roleField],
  }
}
