import type { CollectionConfig, Config, Field } from 'payload'

import { postgresAdapter } from '@payloadcms/db-postgres'

import { dermaImagesPlugin } from './index.js'
import { sanitizePluginConfig } from './sanitizePluginConfig.js'

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    Object.values(value).forEach(deepFreeze)
  }
  return value
}

const baseConfig = (usersFields: Field[] = [], auth = true): Config => ({
  collections: [{ slug: 'users', auth, fields: usersFields }],
  db: postgresAdapter({ pool: { connectionString: 'postgres://127.0.0.1:1/unused' } }),
  secret: 'unit',
})

const findCollection = (config: Config, slug: string): CollectionConfig | undefined =>
  config.collections?.find((collection) => collection.slug === slug)

const fieldNamed = (collection: CollectionConfig | undefined, name: string) =>
  collection?.fields.find((field) => 'name' in field && field.name === name) as Record<string, unknown> | undefined

describe('dermaImagesPlugin', () => {
  it('should not modify the incoming config', () => {
    const incoming = baseConfig()
    const snapshot = JSON.stringify(incoming)
    dermaImagesPlugin()(deepFreeze(incoming))
    expect(JSON.stringify(incoming)).toBe(snapshot)
  })

  it('should add the consultations, consultation-images, lesions, audit-events and share-links collections', () => {
    const slugs = dermaImagesPlugin()(baseConfig()).collections?.map((collection) => collection.slug)
    expect(slugs).toEqual(['users', 'consultations', 'consultation-images', 'lesions', 'audit-events', 'share-links'])
  })

  it('should honour an overridden share-links slug in its relationships and options', () => {
    const config = dermaImagesPlugin({ shareLinks: { maxDays: 14 }, slugs: { lesions: 'skin-lesions', shareLinks: 'referrals' } })(baseConfig())
    const referrals = findCollection(config, 'referrals')
    const fields = referrals?.fields.flatMap((field) => ('fields' in field ? field.fields : [field]))
    const options = (referrals?.custom as { dermaImages: { shareLinks: () => { shareLinks: unknown } } }).dermaImages.shareLinks()
    expect([fields?.find((field) => 'name' in field && field.name === 'lesion'), options.shareLinks]).toMatchObject([
      { relationTo: 'skin-lesions' },
      { defaultDays: 7, maxDays: 14 },
    ])
  })

  it.each([
    [{ maxDays: 0 }],
    [{ defaultDays: 31 }],
    [{ defaultDays: 10, maxDays: 5 }],
  ])('should refuse share link options %j', (shareLinks) => {
    expect(() => dermaImagesPlugin({ shareLinks })(baseConfig())).toThrow(/shareLinks/)
  })

  it('should honour an override of the audit-events slug', () => {
    const slugs = dermaImagesPlugin({ slugs: { auditEvents: 'access-log' } })(baseConfig()).collections?.map((collection) => collection.slug)
    expect(slugs).toContain('access-log')
  })

  it('should honour slug overrides everywhere, relationships included', () => {
    const config = dermaImagesPlugin({ slugs: { consultationImages: 'photos', consultations: 'visits' } })(baseConfig())
    expect(fieldNamed(findCollection(config, 'photos'), 'consultation')?.relationTo).toBe('visits')
  })

  it('should honour an overridden lesions slug in the images’ lesion relationship', () => {
    const config = dermaImagesPlugin({ slugs: { lesions: 'skin-lesions' } })(baseConfig())
    const fields = findCollection(config, 'consultation-images')?.fields.flatMap((field) => ('fields' in field ? field.fields : [field]))
    expect([findCollection(config, 'skin-lesions')?.slug, fields?.find((field) => 'name' in field && field.name === 'lesion')])
      .toMatchObject(['skin-lesions', { relationTo: 'skin-lesions' }])
  })

  it('should add a role saved to the JWT when the users lack one', () => {
    const role = fieldNamed(findCollection(dermaImagesPlugin()(baseConfig()), 'users'), 'role')
    expect({ name: role?.name, options: (role?.options as { value: string }[]).map((o) => o.value), saveToJWT: role?.saveToJWT })
      .toEqual({ name: 'role', options: ['admin', 'doctor', 'patient'], saveToJWT: true })
  })

  it('should keep a host role field and save it to the JWT', () => {
    const hostRole: Field = { name: 'role', type: 'select', options: ['admin', 'doctor', 'patient', 'nurse'] }
    const role = fieldNamed(findCollection(dermaImagesPlugin()(baseConfig([hostRole])), 'users'), 'role')
    expect([role?.options, role?.saveToJWT]).toEqual([hostRole.options, true])
  })

  it('should refuse a users collection without auth', () => {
    expect(() => dermaImagesPlugin()(baseConfig([], false))).toThrow(/auth enabled/)
  })

  it('should make every access key of the three collections explicit', () => {
    const config = dermaImagesPlugin()(baseConfig())
    const keys = ['consultations', 'consultation-images', 'audit-events'].map((slug) => Object.keys(findCollection(config, slug)?.access ?? {}).sort())
    const all = ['admin', 'create', 'delete', 'read', 'readVersions', 'unlock', 'update']
    expect(keys).toEqual([all, all, all])
  })

  it('should never let Payload write or serve consultation images from a public directory', () => {
    const upload = findCollection(dermaImagesPlugin()(baseConfig()), 'consultation-images')?.upload as Record<string, unknown>
    expect([upload.disableLocalStorage, (upload.handlers as unknown[]).length]).toEqual([true, 1])
  })

  it('should keep the collections, fields and access when disabled', () => {
    // Endpoints, admin components and UI fields hold no data; everything else must be the same.
    const strip = (config: Config) =>
      JSON.stringify(config.collections?.slice(1), (key, value: unknown) =>
        key === 'admin' || key === 'endpoints'
          ? undefined
          : key === 'fields'
            ? (value as Field[]).filter((field) => field.type !== 'ui')
            : typeof value === 'function'
              ? 'fn'
              : value,
      )
    expect(strip(dermaImagesPlugin({ disabled: true })(baseConfig()))).toBe(strip(dermaImagesPlugin()(baseConfig())))
  })
})

describe('sanitizePluginConfig', () => {
  it('should default to a 10 MB limit, the four accepted formats and a 300×300 thumbnail', () => {
    const config = sanitizePluginConfig()
    expect({
      max: config.maxFileSize,
      thumbnail: config.imageSizes.find((size) => size.name === 'thumbnail'),
      types: config.allowedMimeTypes,
    }).toMatchObject({
      max: 10 * 1024 * 1024,
      thumbnail: { height: 300, width: 300 },
      types: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'],
    })
  })

  it('should refuse a zero size limit instead of treating it as unset', () => {
    expect(() => sanitizePluginConfig({ maxFileSize: 0 })).toThrow(/maxFileSize/)
  })

  it('should require a thumbnail size', () => {
    expect(() => sanitizePluginConfig({ imageSizes: [{ name: 'large', width: 2000 }] })).toThrow(/thumbnail/)
  })

  it('should leave out the endpoints when disabled', () => {
    const consultations = findCollection(dermaImagesPlugin({ disabled: true })(baseConfig()), 'consultations')
    expect(consultations?.endpoints).toEqual([])
  })

  it('should leave out the admin components when disabled', () => {
    const fields = findCollection(dermaImagesPlugin({ disabled: true })(baseConfig()), 'consultations')?.fields ?? []
    expect(fields.filter((field) => field.type === 'ui')).toEqual([])
  })

  it('should keep disabled: false as false', () => {
    expect(sanitizePluginConfig({ disabled: false }).disabled).toBe(false)
  })
})
