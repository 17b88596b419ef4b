import { sanitizePluginConfig } from '../sanitizePluginConfig.js'

describe('audit.retentionDays', () => {
  it('should keep audit events forever by default', () => {
    expect(sanitizePluginConfig({}).audit.retentionDays).toBeUndefined()
  })

  it('should take a whole number of days', () => {
    expect(sanitizePluginConfig({ audit: { retentionDays: 7305 } }).audit).toEqual({ retentionDays: 7305, trustedProxyHops: 0 })
  })

  it.each([0, -1, 1.5, 1_000_000, Number.NaN])('should refuse %p days', (retentionDays) => {
    expect(() => sanitizePluginConfig({ audit: { retentionDays } })).toThrow('audit.retentionDays must be a whole number of days')
  })
})
