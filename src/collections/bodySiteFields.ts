import type { CollectionSlug, RelationshipField, SelectField } from 'payload'

import { bodySites, lateralities } from '../vocabulary/bodySites.js'

/** Select options from a bilingual vocabulary. */
export const toOptions = (entries: readonly { label: { en: string; fr: string }; value: string }[]) =>
  entries.map(({ label, value }) => ({ label, value }))

/** The coded body site and laterality shared by images and lesions (the same vocabulary). */
export const getBodySiteFields = (disabled: boolean): [SelectField, SelectField] => [
  {
    name: 'bodySite',
    type: 'select',
    admin: disabled ? {} : { components: { Cell: 'payload-derma-images/client#BodySiteCell' } },
    index: true,
    label: { en: 'Body site', fr: 'Localisation anatomique' },
    options: toOptions(bodySites),
  },
  {
    name: 'laterality',
    type: 'select',
    label: { en: 'Laterality', fr: 'Latéralité' },
    options: toOptions(lateralities),
  },
]

/** The patient a consultation or a lesion belongs to: a user with the patient role. */
export const getPatientField = (usersSlug: CollectionSlug): RelationshipField => ({
  name: 'patient',
  type: 'relationship',
  filterOptions: { role: { equals: 'patient' } },
  index: true,
  label: { en: 'Patient', fr: 'Patient' },
  relationTo: usersSlug,
  required: true,
})
