import type { Field } from 'payload'

/**
 * `share`: a second-opinion link was created or revoked (`variant` says which); `share-open`: a
 * link's gallery or one of its files was opened by its recipient (channel `share`).
 */
export const auditActions = ['read', 'file-download', 'zip-export', 'fhir-export', 'create', 'update', 'delete', 'denied', 'share', 'share-open'] as const
export const auditChannels = ['rest', 'graphql', 'local', 'file', 'zip', 'fhir', 'share'] as const

export type AuditAction = (typeof auditActions)[number]
export type AuditChannel = (typeof auditChannels)[number]

const options = (values: readonly string[]) => values.map((value) => ({ label: value, value }))

const text = (name: string, label: string, { description, index = false }: { description?: string; index?: boolean } = {}): Field => ({
  name,
  type: 'text',
  admin: { readOnly: true, ...(description ? { description } : {}) },
  index,
  label,
})

/**
 * The fields of an audit event: IDs, codes and an address only. Never a name, an email, a
 * description, a file name or EXIF: an audit trail is read by more people than the records it
 * describes.
 */
export const getAuditEventFields = (): Field[] => [
  {
    name: 'action',
    type: 'select',
    admin: { readOnly: true },
    index: true,
    label: { en: 'Action', fr: 'Action' },
    options: options(auditActions),
    required: true,
  },
  text('user', 'User ID', { description: 'The ID of the user who acted; empty for anonymous requests.', index: true }),
  {
    name: 'role',
    type: 'select',
    admin: { readOnly: true },
    label: { en: 'Role', fr: 'Rôle' },
    options: options(['admin', 'doctor', 'patient']),
  },
  {
    name: 'channel',
    type: 'select',
    admin: { readOnly: true },
    label: { en: 'Channel', fr: 'Canal' },
    options: options(auditChannels),
    required: true,
  },
  text('documentCollection', 'Collection'),
  text('documentId', 'Document ID', { index: true }),
  text('consultation', 'Consultation ID', { index: true }),
  text('patient', 'Patient ID', { description: 'The patient the document belongs to: patients read the events about them.', index: true }),
  text('variant', 'File variant', { description: 'For file downloads: "original" or the image size served.' }),
  { name: 'status', type: 'number', admin: { readOnly: true }, label: 'HTTP status' },
  text('ip', 'Client address', { description: 'Recorded only behind trusted proxies (audit.trustedProxyHops).' }),
]
